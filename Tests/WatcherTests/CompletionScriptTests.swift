import Foundation
import Testing
import ProcessSupport

/// Shell completion scripts generated from the parser, for bash, zsh and fish.
struct CompletionScriptTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func theParserGeneratesACompletionScript(shell: String) async throws {
        let scratch = try ScratchDirectory()
        let output = try await Watcher.run(["--generate-completion-script", shell], home: scratch.url)
        #expect(output.status == 0, "\(output)")
        // fish names long options without their dashes.
        let dashes = shell == "fish" ? "" : "--"
        for word in ["cognito-sync-watcher", "wait", "demo", "check-config", dashes + "new-run", dashes + "timeout", dashes + "endpoint"] {
            #expect(output.stdout.contains(word), "the \(shell) script does not mention \(word)")
        }
    }

    @Test func theScriptWritesAllThreeAndBashAcceptsItsOwn() async throws {
        let scratch = try ScratchDirectory()
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/completions").path
        let run = try ChildProcess.start("/bin/bash", [script, scratch.url.path], environment: Watcher.environment(home: scratch.url, extra: ["COGNITO_SYNC_WATCHER": Watcher.path]))
        let output = await run.finish()
        #expect(output.status == 0, "\(output)")
        for name in ["cognito-sync-watcher.bash", "_cognito-sync-watcher", "cognito-sync-watcher.fish"] {
            let size = try FileManager.default.attributesOfItem(atPath: scratch.url.appendingPathComponent(name).path)[.size] as? Int
            #expect((size ?? 0) > 500, "\(name) is missing or nearly empty")
        }
        let check = try ChildProcess.start("/bin/bash", ["-n", scratch.url.appendingPathComponent("cognito-sync-watcher.bash").path], environment: Watcher.environment(home: scratch.url))
        let checked = await check.finish()
        #expect(checked.status == 0, "bash rejects the generated script: \(checked)")
    }
}
