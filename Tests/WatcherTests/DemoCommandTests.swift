import Foundation
import Testing
import ProcessSupport

/// `demo` run as a first-time user runs it: no AWS settings needed, none read.
struct DemoCommandTests {
    @Test func theDemoShowsEveryPoolsStoryAndExitsZero() async throws {
        let scratch = try ScratchDirectory()
        // Settings that would break any real AWS call: the demo must not read them.
        let hostile = [
            "AWS_ACCESS_KEY_ID": "AKIDWRONG", "AWS_SECRET_ACCESS_KEY": "wrong", "AWS_PROFILE": "missing-profile",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_REGION": "eu-central-1",
        ]
        let output = try await Watcher.run(["demo", "--speed", "3"], home: scratch.url, environment: hostile, timeout: .seconds(40))
        #expect(output.status == 0, "\(output)")
        #expect(output.stderr.isEmpty, "\(output)")

        let text = output.stdout
        #expect(text.contains("no AWS account is used"))
        // Transitions as the journal would get them (which polls catch the start of a run
        // depends on how busy the machine is; the outcomes do not).
        let events = text.split(separator: "\n").filter { $0.contains(": Bulk publish of pool ") }
        #expect(events.contains { $0.contains("(orders)") && $0.contains("-> SUCCEEDED: ") }, "\(output)")
        #expect(events.contains { $0.contains("(analytics)") && $0.contains(" err ") && $0.contains("-> FAILED: ") }, "\(output)")
        #expect(events.contains { $0.contains("(profiles)") && $0.contains("longer than its stall limit") }, "\(output)")
        #expect(events.contains { $0.contains("(sessions)") && $0.contains("-> SUCCEEDED: ") }, "\(output)")

        // The summary: one row per pool with its final status and the events seen.
        let summary = try #require(text.range(of: "Summary after 10s")).upperBound
        let rows = text[summary...].split(separator: "\n").map(String.init)
        func row(_ name: String) -> String? { rows.first { $0.hasPrefix(name + " ") } }
        #expect(row("orders")?.contains(" SUCCEEDED ") == true && row("orders")?.contains("succeeded") == true, "\(output)")
        #expect(row("analytics")?.contains(" FAILED ") == true && row("analytics")?.contains("failed") == true, "\(output)")
        #expect(row("profiles")?.contains(" IN_PROGRESS ") == true && row("profiles")?.contains("stalled") == true, "\(output)")
        #expect(row("sessions")?.contains(" SUCCEEDED ") == true, "\(output)")
        #expect(row("sessions")?.contains("503 ServiceUnavailable") == true, "\(output)")
        #expect(text.contains("analytics FAILED: Unable to write to Kinesis stream 'cognito-sync-analytics'"), "\(output)")
        #expect(!text.contains("wrong"))
    }

    @Test(arguments: [["demo", "--speed", "0"], ["demo", "--duration", "0"], ["demo", "--duration", "later"]])
    func badOptionsExitTwo(arguments: [String]) async throws {
        let scratch = try ScratchDirectory()
        let output = try await Watcher.run(arguments, home: scratch.url)
        #expect(output.status == 2, "\(output)")
        #expect(output.stderrLines.count == 1 && output.stderr.hasPrefix("error: "), "\(output)")
    }
}
