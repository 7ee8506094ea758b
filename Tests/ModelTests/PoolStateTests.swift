import Foundation
import Testing
@testable import Model

struct PoolStateTests {
    @Test func roundTripsEverythingThroughJSON() throws {
        let state = PoolState(
            lastStatus: .unrecognized("PAUSED"),
            lastObservedAt: Fixture.at(10),
            run: RunRecord(
                startTime: Fixture.at(0), firstSeenAt: Fixture.at(5), status: .inProgress, completeTime: nil,
                failureMessage: "stream gone", reported: [.started, .stalled, .anomaly(.outcomeChanged), .unrecognized("PAUSED"), .finished(.failed)]
            ),
            failure: FailureRecord(since: Fixture.at(7), kind: .throttled, code: "ThrottlingException", message: "slow down", consecutiveFailures: 4, reported: true)
        )
        let decoded = try JSONDecoder().decode(PoolState.self, from: JSONEncoder().encode(state))
        #expect(decoded == state)
        #expect(decoded.version == PoolState.currentVersion)
    }

    @Test(arguments: [0, 2, 99])
    func refusesVersionsItDoesNotKnow(_ version: Int) {
        let json = #"{"version": \#(version)}"#
        #expect {
            try JSONDecoder().decode(PoolState.self, from: Data(json.utf8))
        } throws: { error in
            String(describing: error).contains("state version \(version) is not supported")
        }
    }

    /// State saved before the run's failure message was kept reads as having none.
    @Test func aRunSavedWithoutItsFailureMessageStillReads() throws {
        let json = #"{"version": 1, "run": {"firstSeenAt": 0, "status": "FAILED", "reported": []}}"#
        let state = try JSONDecoder().decode(PoolState.self, from: Data(json.utf8))
        #expect(state.run?.status == .failed)
        #expect(state.run?.failureMessage == nil)
    }

    @Test func aStateWithoutVersionIsRefused() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PoolState.self, from: Data("{}".utf8)) }
    }
}

struct EventTextTests {
    @Test(arguments: [
        (0.0, "0s"), (1.5, "1.5s"), (45, "45s"), (60, "1m"), (125, "2m 5s"), (3600, "1h"),
        (3725, "1h 2m"), (86_400, "1d"), (183_600, "2d 3h"), (-30, "-30s"),
        (1e300, "an unknown time"), (-1e300, "an unknown time"), (.infinity, "an unknown time"),
    ])
    func durationsReadLikeAPersonWritesThem(_ seconds: TimeInterval, _ text: String) {
        #expect(EventText.duration(seconds) == text)
    }

    @Test func timestampsAreUTCWithSeconds() {
        #expect(EventText.timestamp(Date(timeIntervalSince1970: 1_800_000_000)) == "2027-01-15T08:00:00Z")
    }

    @Test func severitiesFollowTheIssuesRules() {
        #expect(WatchEvent.Kind.failed.severity == .error)
        #expect(WatchEvent.Kind.stalled.severity == .warning)
        #expect(WatchEvent.Kind.pollFailing.severity == .warning)
        #expect(WatchEvent.Kind.started.severity == .notice)
        #expect(WatchEvent.Kind.succeeded.severity == .notice)
        #expect(Severity.error > Severity.warning)
    }
}
