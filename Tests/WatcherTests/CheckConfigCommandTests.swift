import Foundation
import Testing
import ProcessSupport

/// `check-config` as a process: 0 for a valid file, 2 for anything else, one sentence on stderr.
struct CheckConfigCommandTests {
    private let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    private static let valid = """
        {"pools": [{"id": "us-east-1:0000aaaa-1111-4222-8333-000000000301", "name": "orders"},
                   "eu-west-1:0000aaaa-1111-4222-8333-000000000302"]}
        """

    @Test(arguments: [false, true])
    func aValidFileExitsZeroAndSaysWhatWouldBeWatched(asOption: Bool) async throws {
        let path = try scratch.write(Self.valid, to: "config.json")
        let output = try await Watcher.run(["check-config"] + (asOption ? ["--config", path] : [path]), home: scratch.url)
        #expect(output.status == 0, "\(output)")
        #expect(output.stdoutLines.first == "\(path): valid; 2 pools in 2 regions (eu-west-1, us-east-1).")
        #expect(output.stdout.contains("orders"))
        #expect(output.stdoutLines.contains(
            "Status file:     /run/cognito-sync-watcher/status.json under the unit, or "
                + "/var/lib/cognito-sync-watcher/status.json when run by hand (read by daemon-status)"), "\(output)")
        #expect(output.stderr.isEmpty)
    }

    @Test(arguments: [
        (#"{"pools": []}"#, "is empty: there is nothing to watch"),
        (#"{"pools": ["us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE"]}"#, "write it in lower case"),
        (#"{"pools": [ "#, "JSON"),
    ])
    func anInvalidFileExitsTwo(text: String, problem: String) async throws {
        let path = try scratch.write(text, to: "config.json")
        let output = try await Watcher.run(["check-config", path], home: scratch.url)
        #expect(output.status == 2, "\(output)")
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("error: \(path): "), "\(output)")
        #expect(output.stderr.contains(problem), "\(output)")
    }

    @Test func theHooksAreShownWithoutTheirTokensAndAMissingProgramIsWarnedAbout() async throws {
        let missing = scratch.url.appendingPathComponent("page-oncall").path
        let path = try scratch.write("""
            {"pools": ["us-east-1:0000aaaa-1111-4222-8333-000000000301"],
             "hooks": {"failed": ["\(missing)", "--team", "data"],
                       "stalled": ["/bin/true", "https://hooks.example.com/services/T0/B0/SECRETTOKEN"], "attempts": 3}}
            """, to: "config.json")
        let output = try await Watcher.run(["check-config", path], home: scratch.url)
        #expect(output.status == 0, "\(output)")
        #expect(output.stdoutLines.contains("Hooks:           failed: \(missing) --team data"), "\(output)")
        #expect(output.stdoutLines.contains("                 stalled: /bin/true https://hooks.example.com/…"), "\(output)")
        #expect(output.stdoutLines.contains("                 each run at most 30s, 3 attempts (retried after 10s, 20s)"), "\(output)")
        #expect(output.stdoutLines.contains("warning: hooks.failed: \(missing) does not exist; install it, or correct the path"), "\(output)")
        #expect(!output.stdout.contains("SECRETTOKEN"))
    }

    @Test func aHookGivenAsOneStringExitsTwoNamingTheKey() async throws {
        let path = try scratch.write("""
            {"pools": ["us-east-1:0000aaaa-1111-4222-8333-000000000301"], "hooks": {"failed": "/usr/local/bin/page-oncall --team data"}}
            """, to: "config.json")
        let output = try await Watcher.run(["check-config", path], home: scratch.url)
        #expect(output.status == 2, "\(output)")
        #expect(output.stderr.contains("hooks.failed: must be an array of strings"), "\(output)")
    }

    @Test func aMissingFileExitsTwoSayingWhatToPass() async throws {
        let output = try await Watcher.run(["check-config", scratch.url.appendingPathComponent("absent.json").path], home: scratch.url)
        #expect(output.status == 2, "\(output)")
        #expect(output.stderr.contains("no such file (pass the path of your configuration"), "\(output)")
    }

    @Test func twoDifferentFilesAreAUsageError() async throws {
        let output = try await Watcher.run(["check-config", "a.json", "--config", "b.json"], home: scratch.url)
        #expect(output.status == 2, "\(output)")
        #expect(output.stderr.contains("check one at a time"), "\(output)")
    }
}
