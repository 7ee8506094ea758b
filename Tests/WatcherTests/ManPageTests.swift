import Foundation
import Testing
import ProcessSupport

/// The man pages scripts/render-man writes from the binary's own parser (`--experimental-dump-help`).
struct ManPageTests {
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/render-man").path
    private static let subcommands = ["run", "status", "daemon-status", "wait", "check-config", "simulate", "demo"]

    private static func render(_ arguments: [String], home: URL) async throws -> ChildProcess.Output {
        let child = try ChildProcess.start("/usr/bin/env", ["python3", script] + arguments, environment: Watcher.environment(home: home))
        return await child.finish()
    }

    @Test func aPageForTheToolAndOnePerSubcommand() async throws {
        let scratch = try ScratchDirectory()
        let output = try await Self.render([Watcher.path, scratch.url.path, "--version", "9.9.9+gtest", "--date", "2026-01-02"], home: scratch.url)
        try #require(output.status == 0, "\(output)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasSuffix(".1") }
        #expect(Set(pages) == Set(["cognito-sync-watcher.1"] + Self.subcommands.map { "cognito-sync-watcher-\($0).1" }))

        let root = try String(contentsOf: scratch.url.appendingPathComponent("cognito-sync-watcher.1"), encoding: .utf8)
        #expect(root.contains(#".TH COGNITO-SYNC-WATCHER 1 "2026-01-02" "9.9.9+gtest" "User Commands""#))
        for name in Self.subcommands {
            #expect(root.contains("See \\fBcognito\\-sync\\-watcher\\-\(name.replacingOccurrences(of: "-", with: "\\-"))\\fR(1)."), "\(name) is not listed")
        }
        let wait = try String(contentsOf: scratch.url.appendingPathComponent("cognito-sync-watcher-wait.1"), encoding: .utf8)
        // The help's own sections: options with their values, the exit statuses, the examples.
        #expect(wait.contains(".SH OPTIONS\n"))
        #expect(wait.contains("\\fB\\-\\-timeout\\fR \\fIduration\\fR"))
        #expect(wait.contains(".SH \"EXIT STATUS\"\n"))
        #expect(wait.contains(".TP\n.B 124\n"))
        #expect(wait.contains(".SH EXAMPLES\n"))
        #expect(wait.contains("cognito\\-sync\\-watcher wait \\-\\-start \\-\\-timeout 2h POOL_ID\n"))
        // No line starts with a dot or quote that is not a request of ours.
        for line in wait.split(separator: "\n") where line.hasPrefix("'") {
            Issue.record("a line would be taken as a request: \(line)")
        }
    }

    @Test func badInputIsRefusedWithAReason() async throws {
        let scratch = try ScratchDirectory()
        let notABinary = try await Self.render([scratch.url.appendingPathComponent("missing").path, scratch.url.path], home: scratch.url)
        #expect(notABinary.status == 1)
        #expect(notABinary.stderr.contains("is not an executable file"), "\(notABinary)")
        let badDate = try await Self.render([Watcher.path, scratch.url.path, "--date", "yesterday"], home: scratch.url)
        #expect(badDate.status == 1)
        #expect(badDate.stderr.contains("--date must be YYYY-MM-DD, not 'yesterday'"), "\(badDate)")
    }
}
