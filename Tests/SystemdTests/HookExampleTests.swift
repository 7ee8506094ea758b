import Foundation
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

    @Test func theWebhookGetsSlackCompatibleJSONAndTheURLStaysHidden() throws {
        try #require(Subprocess.locate(["/usr/bin/curl", "/bin/curl"]) != nil, "the webhook example needs curl")
        let server = try RecordingHTTPServer(status: 200)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/services/T000/B000/SECRETTOKEN"
        let result = try Subprocess.run(Self.hooks.appendingPathComponent("post-webhook").path, [], environment: Self.event(["WEBHOOK_URL": url]))
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("SECRETTOKEN"), "\(result.output)")
        #expect(result.output.contains("posted the failed event of us-east-1:0000aaaa-1111-4222-8333-000000000601 to 127.0.0.1:\(server.port)"))

        let request = try #require(server.received.first)
        #expect(server.received.count == 1)
        #expect(request.line == "POST /services/T000/B000/SECRETTOKEN HTTP/1.1")
        #expect(request.headers["content-type"] == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any], "\(String(decoding: request.body, as: UTF8.self))")
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("cognito-sync-watcher on "))
        #expect(text.hasSuffix(": " + Self.message), "quotes, backslashes, newlines and tabs survive: \(text)")
        #expect(json.count == 1)
    }

    @Test func theWebhookURLMayComeFromACredentialAndAFailedPostFails() throws {
        try #require(Subprocess.locate(["/usr/bin/curl", "/bin/curl"]) != nil, "the webhook example needs curl")
        let server = try RecordingHTTPServer(status: 500)
        defer { server.stop() }
        let credentials = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: credentials) }
        try Data("http://127.0.0.1:\(server.port)/hook?token=SECRETTOKEN\n".utf8).write(to: credentials.appendingPathComponent("webhook-url"))
        let result = try Subprocess.run(
            Self.hooks.appendingPathComponent("post-webhook").path, [], environment: Self.event(["CREDENTIALS_DIRECTORY": credentials.path]))
        #expect(result.status != 0, "a 500 must fail the hook, so it is retried: \(result.output)")
        #expect(server.received.first?.line == "POST /hook?token=SECRETTOKEN HTTP/1.1")
        #expect(!result.output.contains("SECRETTOKEN"), "\(result.output)")

        let none = try Subprocess.run(Self.hooks.appendingPathComponent("post-webhook").path, [], environment: Self.event())
        #expect(none.status == 2)
        #expect(none.output.contains("no webhook URL: set WEBHOOK_URL or WEBHOOK_URL_FILE, or load the credential webhook-url"))
    }

    @Test func theMailGoesThroughSendmailWithTheEvent() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // A fake sendmail first on PATH: records its arguments and the message.
        let fake = scratch.appendingPathComponent("sendmail")
        try ExecutableScript.write("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"\(scratch.path)/arguments\"\ncat > \"\(scratch.path)/message\"\n", to: fake.path)
        let result = try Subprocess.run(
            Self.hooks.appendingPathComponent("send-mail").path, ["oncall@example.com", "data@example.com"],
            environment: Self.event(["PATH": "\(scratch.path):/usr/bin:/bin", "MAIL_FROM": "watcher@example.com"]))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("mailed the failed event of us-east-1:0000aaaa-1111-4222-8333-000000000601 to oncall@example.com data@example.com"))
        let arguments = try String(contentsOf: scratch.appendingPathComponent("arguments"), encoding: .utf8)
        #expect(arguments == "-i\n--\noncall@example.com\ndata@example.com\n")
        let message = try String(contentsOf: scratch.appendingPathComponent("message"), encoding: .utf8)
        let (head, body) = try #require(message.range(of: "\n\n").map { (message[..<$0.lowerBound], message[$0.upperBound...]) })
        #expect(head.split(separator: "\n").contains("Subject: [cognito-sync-watcher] FAILED: bulk publish of orders"))
        #expect(head.split(separator: "\n").contains("To: oncall@example.com, data@example.com"))
        #expect(head.split(separator: "\n").contains("From: watcher@example.com"))
        #expect(body.hasPrefix(Self.message + "\n"))
        #expect(body.contains("Failure message: access denied.\n"))
        #expect(body.contains("Event id:        us-east-1:0000aaaa-1111-4222-8333-000000000601/1800000000000/failed\n"))

        let failing = try Subprocess.run(
            Self.hooks.appendingPathComponent("send-mail").path, ["oncall@example.com"],
            environment: Self.event(["SENDMAIL": "/bin/false"]))
        #expect(failing.status != 0, "sendmail's failure is the hook's")
        let noRecipient = try Subprocess.run(Self.hooks.appendingPathComponent("send-mail").path, [], environment: Self.event())
        #expect(noRecipient.status == 2)
    }
}
