import Foundation
import NetworkTestSupport
import NIOHTTP1
import ProcessSupport
import Testing

/// The example hooks of deploy/hooks, run as the daemon runs them: with the event in `CSW_`
/// variables. The webhook one posts to a loopback HTTP server; the mail one pipes into a fake
/// sendmail found on PATH.
struct HookExampleTests {
    static let hooks = DeployTests.root.appendingPathComponent("deploy/hooks")
    static let message = "Bulk publish of pool 'orders' (us-east-1:0000aaaa-1111-4222-8333-000000000601) FAILED after 1m 35s: "
        + "Unable to write \"orders\"\\stream\n\taccess denied."

    /// The variables the daemon sets for a FAILED event, over a minimal PATH.
    static func event(_ extra: [String: String] = [:]) -> [String: String] {
        [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "CSW_EVENT": "failed", "CSW_EVENT_ID": "us-east-1:0000aaaa-1111-4222-8333-000000000601/1800000000000/failed",
            "CSW_SEVERITY": "err", "CSW_POOL_ID": "us-east-1:0000aaaa-1111-4222-8333-000000000601", "CSW_POOL_NAME": "orders",
            "CSW_STATUS": "FAILED", "CSW_PREVIOUS_STATUS": "IN_PROGRESS", "CSW_FAILURE_MESSAGE": "access denied.",
            "CSW_BULK_PUBLISH_START_TIME": "2027-01-15T08:00:00Z", "CSW_BULK_PUBLISH_COMPLETE_TIME": "2027-01-15T08:01:35Z",
            "CSW_DURATION_SECONDS": "95", "CSW_OBSERVED_AT": "2027-01-15T08:01:40Z", "CSW_MESSAGE": message,
        ].merging(extra) { $1 }
    }

    @Test func theWebhookGetsSlackCompatibleJSONAndTheURLStaysHidden() async throws {
        try #require(Subprocess.locate(["/usr/bin/curl", "/bin/curl"]) != nil, "the webhook example needs curl")
        let server = try await LoopbackHTTPServer { _ in .ok("ok") }
        let url = server.baseURL + "/services/T000/B000/SECRETTOKEN"
        let result = try await Subprocess.run(Self.hooks.appendingPathComponent("post-webhook").path, [], environment: Self.event(["WEBHOOK_URL": url]))
        try await server.shutdown()
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("SECRETTOKEN"), "\(result.output)")
        let host = server.baseURL.replacingOccurrences(of: "http://", with: "")
        #expect(result.output.contains("posted the failed event of us-east-1:0000aaaa-1111-4222-8333-000000000601 to \(host)"))

        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect("\(request.method) \(request.uri) \(request.version)" == "POST /services/T000/B000/SECRETTOKEN HTTP/1.1")
        #expect(request.headers["content-type"] == ["application/json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any], "\(request.body)")
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("cognito-sync-watcher on "))
        #expect(text.hasSuffix(": " + Self.message), "quotes, backslashes, newlines and tabs survive: \(text)")
        #expect(json.count == 1)
    }

    @Test func theWebhookURLMayComeFromACredentialAndAFailedPostFails() async throws {
        try #require(Subprocess.locate(["/usr/bin/curl", "/bin/curl"]) != nil, "the webhook example needs curl")
        let server = try await LoopbackHTTPServer { _ in .status(.internalServerError) }
        let credentials = try ScratchDirectory()
        try credentials.write(server.baseURL + "/hook?token=SECRETTOKEN\n", to: "webhook-url")
        let result = try await Subprocess.run(
            Self.hooks.appendingPathComponent("post-webhook").path, [], environment: Self.event(["CREDENTIALS_DIRECTORY": credentials.path]))
        try await server.shutdown()
        #expect(result.status != 0, "a 500 must fail the hook, so it is retried: \(result.output)")
        #expect(server.requests.map { "\($0.method) \($0.uri)" } == ["POST /hook?token=SECRETTOKEN"])
        #expect(!result.output.contains("SECRETTOKEN"), "\(result.output)")

        let none = try await Subprocess.run(Self.hooks.appendingPathComponent("post-webhook").path, [], environment: Self.event())
        #expect(none.status == 2)
        #expect(none.output.contains("no webhook URL: set WEBHOOK_URL or WEBHOOK_URL_FILE, or load the credential webhook-url"))
    }

    @Test func theMailGoesThroughSendmailWithTheEvent() async throws {
        let scratch = try ScratchDirectory()
        // A fake sendmail first on PATH: records its arguments and the message.
        try scratch.script("sendmail", "printf '%s\\n' \"$@\" > \"\(scratch.path)/arguments\"\ncat > \"\(scratch.path)/message\"")
        let result = try await Subprocess.run(
            Self.hooks.appendingPathComponent("send-mail").path, ["oncall@example.com", "data@example.com"],
            environment: Self.event(["PATH": "\(scratch.path):/usr/bin:/bin", "MAIL_FROM": "watcher@example.com"]))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("mailed the failed event of us-east-1:0000aaaa-1111-4222-8333-000000000601 to oncall@example.com data@example.com"))
        let arguments = try String(contentsOfFile: scratch.file("arguments"), encoding: .utf8)
        #expect(arguments == "-i\n--\noncall@example.com\ndata@example.com\n")
        let message = try String(contentsOfFile: scratch.file("message"), encoding: .utf8)
        let (head, body) = try #require(message.range(of: "\n\n").map { (message[..<$0.lowerBound], message[$0.upperBound...]) })
        #expect(head.split(separator: "\n").contains("Subject: [cognito-sync-watcher] FAILED: bulk publish of orders"))
        #expect(head.split(separator: "\n").contains("To: oncall@example.com, data@example.com"))
        #expect(head.split(separator: "\n").contains("From: watcher@example.com"))
        #expect(body.hasPrefix(Self.message + "\n"))
        #expect(body.contains("Failure message: access denied.\n"))
        #expect(body.contains("Event id:        us-east-1:0000aaaa-1111-4222-8333-000000000601/1800000000000/failed\n"))

        let failing = try await Subprocess.run(
            Self.hooks.appendingPathComponent("send-mail").path, ["oncall@example.com"],
            environment: Self.event(["SENDMAIL": "/bin/false"]))
        #expect(failing.status != 0, "sendmail's failure is the hook's")
        let noRecipient = try await Subprocess.run(Self.hooks.appendingPathComponent("send-mail").path, [], environment: Self.event())
        #expect(noRecipient.status == 2)
    }
}
