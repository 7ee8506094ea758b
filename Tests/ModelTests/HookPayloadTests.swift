import Foundation
import Testing
@testable import Model

/// What a hook is handed: the JSON on stdin and the `CSW_` variables, from one event.
struct HookPayloadTests {
    private static let failed = WatchEvent(
        kind: .failed, poolID: Fixture.poolID, poolName: "game-prod", previousStatus: .inProgress, status: .failed,
        startTime: Fixture.at(0), completeTime: Fixture.at(95), duration: 95,
        failureMessage: "Unable to write to Kinesis stream 'orders':\naccess denied.", observedAt: Fixture.at(100),
        identity: "\(Fixture.poolID)/1800000000000/failed")

    @Test func theJSONHasEveryKeyWithNullForWhatIsUnknown() throws {
        var started = Self.failed
        started.kind = .started
        started.poolName = nil
        started.failureMessage = nil
        started.completeTime = nil
        started.duration = nil
        let json = try HookPayload(started).json()
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1, "one line: \(text)")
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == [
            "event", "eventId", "severity", "poolId", "poolName", "status", "previousStatus", "failureMessage",
            "bulkPublishStartTime", "bulkPublishCompleteTime", "durationSeconds", "observedAt", "message",
        ])
        #expect(object["poolName"] is NSNull)
        #expect(object["failureMessage"] is NSNull)
        #expect(object["event"] as? String == "started")
        #expect(object["bulkPublishStartTime"] as? String == "2027-01-15T08:00:00Z")
    }

    @Test func theFailedEventReadsTheSameInBothForms() throws {
        let payload = HookPayload(Self.failed)
        let decoded = try JSONDecoder().decode(HookPayload.self, from: payload.json())
        #expect(decoded == payload, "the spool file gives back what was written")
        let variables = payload.variables
        #expect(variables["CSW_EVENT"] == "failed")
        #expect(variables["CSW_EVENT_ID"] == Self.failed.identity)
        #expect(variables["CSW_SEVERITY"] == "err")
        #expect(variables["CSW_POOL_ID"] == Fixture.poolID.rawValue)
        #expect(variables["CSW_POOL_NAME"] == "game-prod")
        #expect(variables["CSW_STATUS"] == "FAILED")
        #expect(variables["CSW_PREVIOUS_STATUS"] == "IN_PROGRESS")
        #expect(variables["CSW_FAILURE_MESSAGE"] == "Unable to write to Kinesis stream 'orders':\naccess denied.")
        #expect(variables["CSW_BULK_PUBLISH_START_TIME"] == "2027-01-15T08:00:00Z")
        #expect(variables["CSW_BULK_PUBLISH_COMPLETE_TIME"] == "2027-01-15T08:01:35Z")
        #expect(variables["CSW_DURATION_SECONDS"] == "95")
        #expect(variables["CSW_OBSERVED_AT"] == "2027-01-15T08:01:40Z")
        #expect(variables["CSW_MESSAGE"] == Self.failed.message)
        #expect(variables.count == 13)
    }

    @Test func theEnvironmentKeepsTheDaemonsButNotItsSecrets() {
        let inherited = [
            "PATH": "/usr/bin:/bin", "CREDENTIALS_DIRECTORY": "/run/credentials/x", "AWS_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "AKIA…", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
            "NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "60000000", "CSW_STATUS": "stale", "CSW_OLD": "x",
        ]
        var event = Self.failed
        event.failureMessage = "a\u{0}b"
        let environment = HookPayload(event).environment(inheriting: inherited)
        #expect(environment["PATH"] == "/usr/bin:/bin")
        #expect(environment["CREDENTIALS_DIRECTORY"] == "/run/credentials/x")
        #expect(environment["AWS_REGION"] == "eu-west-1")
        for withheld in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "NOTIFY_SOCKET", "WATCHDOG_USEC", "CSW_OLD"] {
            #expect(environment[withheld] == nil, "\(withheld)")
        }
        #expect(environment["CSW_STATUS"] == "FAILED")
        #expect(environment["CSW_FAILURE_MESSAGE"] == "a\u{FFFD}b")
    }

    @Test func onlyTheFourOperatorEventsHaveHooks() {
        let settings = HookSettings(commands: [.failed: HookCommand(executable: "/bin/true")])
        #expect(settings.command(for: Self.failed) != nil)
        var succeeded = Self.failed
        succeeded.kind = .succeeded
        #expect(settings.command(for: succeeded) == nil)
        #expect(HookSettings.hookableKinds.map(\.rawValue) == ["started", "succeeded", "failed", "stalled"])
    }
}
