import Foundation
import Testing
import ProcessSupport

/// The help of every command, compared with a golden copy under `Golden/`.
///
/// After a deliberate change, regenerate the copies and review the diff:
///
///     UPDATE_GOLDEN=1 swift test --filter HelpTextTests
struct HelpTextTests {
    private static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: [
        ("root", [String]()),
        ("run", ["run"]),
        ("status", ["status"]),
        ("daemon-status", ["daemon-status"]),
        ("wait", ["wait"]),
        ("demo", ["demo"]),
        ("check-config", ["check-config"]),
        ("simulate", ["simulate"]),
    ])
    func helpMatchesTheGoldenCopy(name: String, command: [String]) async throws {
        let scratch = try ScratchDirectory()
        let output = try await Watcher.run(command + ["--help"], home: scratch.url)
        #expect(output.status == 0, "\(output)")
        #expect(output.stderr.isEmpty)
        let file = Self.golden.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(output.stdout.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(output.stdout == expected, "the help of '\(name)' changed; if that is intended, run UPDATE_GOLDEN=1 swift test --filter HelpTextTests")
    }

    @Test(arguments: ["root", "run", "status", "daemon-status", "wait", "demo", "check-config", "simulate"])
    func everyHelpHasExamplesAndFitsEightyColumns(name: String) throws {
        let text = try String(contentsOf: Self.golden.appendingPathComponent("\(name).txt"), encoding: .utf8)
        #expect(text.contains("Examples:"))
        for line in text.split(separator: "\n") {
            // ArgumentParser never wraps the usage line; everything else must fit.
            #expect(line.hasPrefix("USAGE:") || line.count <= 80, "too wide: \(line)")
        }
    }

    @Test func theExitStatusesAreDocumentedWhereTheyApply() throws {
        for name in ["root", "wait"] {
            let text = try String(contentsOf: Self.golden.appendingPathComponent("\(name).txt"), encoding: .utf8)
            for status in ["0 ", "1 ", "2 ", "3 ", "4 ", "124", "130"] {
                #expect(text.contains("\n  \(status)"), "\(name) does not document exit status \(status)")
            }
        }
    }
}
