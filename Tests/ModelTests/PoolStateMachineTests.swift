import Foundation
import Testing
@testable import Model

/// One poll in a scenario: what the service said (or the error), and when.
enum Step: Sendable, CustomStringConvertible {
    /// A successful poll at `at` seconds: status, run start and completion (seconds after the epoch).
    case details(at: TimeInterval, BulkPublishStatus, start: TimeInterval?, complete: TimeInterval? = nil, failure: String? = nil)
    case failure(at: TimeInterval, PollFailure.Kind, code: String)

    var description: String {
        switch self {
        case .details(let at, let status, let start, _, _): "\(status)@\(at) start \(start.map { "\($0)" } ?? "nil")"
        case .failure(let at, let kind, let code): "\(kind) \(code)@\(at)"
        }
    }

    func apply(to machine: inout PoolStateMachine) -> [WatchEvent] {
        switch self {
        case .details(let at, let status, let start, let complete, let failure):
            let details = BulkPublishDetails(
                identityPoolID: Fixture.poolID.rawValue, status: status,
                startTime: start.map(Fixture.at), completeTime: complete.map(Fixture.at), failureMessage: failure
            )
            return machine.observe(details, at: Fixture.at(at))
        case .failure(let at, let kind, let code):
            return machine.observe(PollFailure(kind: kind, code: code, message: "\(code) happened"), at: Fixture.at(at))
        }
    }
}

/// A scenario: steps and, for each, the kinds of event expected (anomalies named by their kind).
struct Scenario: Sendable, CustomTestStringConvertible {
    var name: String
    var steps: [(Step, [String])]
    var stallAfter: TimeInterval = 7200

    var testDescription: String { name }
}

private func kinds(_ events: [WatchEvent]) -> [String] {
    events.map { $0.anomaly.map { "anomaly:\($0.rawValue)" } ?? $0.kind.rawValue }
}

struct PoolStateMachineTests {
    static let scenarios: [Scenario] = [
        Scenario(name: "first observation NOT_STARTED says nothing", steps: [
            (.details(at: 0, .notStarted, start: nil), []),
            (.details(at: 600, .notStarted, start: nil), []),
        ]),
        Scenario(name: "first observation IN_PROGRESS reports the run as started", steps: [
            (.details(at: 0, .inProgress, start: -60), ["started"]),
        ]),
        Scenario(name: "first observation FAILED is reported once, never swallowed", steps: [
            (.details(at: 0, .failed, start: -600, complete: -60, failure: "stream gone"), ["failed"]),
            (.details(at: 300, .failed, start: -600, complete: -60, failure: "stream gone"), []),
        ]),
        Scenario(name: "first observation SUCCEEDED is reported once", steps: [
            (.details(at: 0, .succeeded, start: -600, complete: -60), ["succeeded"]),
            (.details(at: 300, .succeeded, start: -600, complete: -60), []),
        ]),
        Scenario(name: "NOT_STARTED to IN_PROGRESS to SUCCEEDED", steps: [
            (.details(at: 0, .notStarted, start: nil), []),
            (.details(at: 600, .inProgress, start: 550), ["started"]),
            (.details(at: 630, .inProgress, start: 550), []),
            (.details(at: 660, .succeeded, start: 550, complete: 650), ["succeeded"]),
            (.details(at: 960, .succeeded, start: 550, complete: 650), []),
        ]),
        Scenario(name: "IN_PROGRESS to FAILED", steps: [
            (.details(at: 0, .inProgress, start: -10), ["started"]),
            (.details(at: 30, .failed, start: -10, failure: "Kinesis stream not found"), ["failed"]),
        ]),
        Scenario(name: "a new run with the same status is detected by its start time", steps: [
            (.details(at: 0, .succeeded, start: -600, complete: -60), ["succeeded"]),
            (.details(at: 90_000, .succeeded, start: 86_500, complete: 86_800), ["succeeded"]),
            (.details(at: 200_000, .failed, start: 190_000, failure: "x"), ["failed"]),
            (.details(at: 300_000, .failed, start: 290_000, failure: "y"), ["failed"]),
        ]),
        Scenario(name: "a whole run between two polls is reported", steps: [
            (.details(at: 0, .notStarted, start: nil), []),
            (.details(at: 600, .succeeded, start: 100, complete: 500), ["succeeded"]),
        ]),
        Scenario(name: "a new run while the last was IN_PROGRESS: the missed outcome is an anomaly", steps: [
            (.details(at: 0, .inProgress, start: -10), ["started"]),
            (.details(at: 90_000, .inProgress, start: 89_000), ["anomaly:previousOutcomeMissed", "started"]),
        ]),
        Scenario(name: "a finished run going back to IN_PROGRESS is an anomaly, once", steps: [
            (.details(at: 0, .succeeded, start: -600, complete: -60), ["succeeded"]),
            (.details(at: 300, .inProgress, start: -600), ["anomaly:statusWentBackwards"]),
            (.details(at: 330, .inProgress, start: -600), []),
        ]),
        Scenario(name: "a pool with runs going back to NOT_STARTED is an anomaly, once", steps: [
            (.details(at: 0, .inProgress, start: -10), ["started"]),
            (.details(at: 30, .notStarted, start: nil), ["anomaly:statusWentBackwards"]),
            (.details(at: 60, .notStarted, start: nil), []),
        ]),
        Scenario(name: "a start time earlier than the previous run's is an anomaly", steps: [
            (.details(at: 0, .succeeded, start: -600, complete: -60), ["succeeded"]),
            (.details(at: 300, .succeeded, start: -9000, complete: -8000), ["anomaly:startTimeWentBackwards", "succeeded"]),
        ]),
        Scenario(name: "the same run changing its outcome is an anomaly and the failure is still reported", steps: [
            (.details(at: 0, .succeeded, start: -600, complete: -60), ["succeeded"]),
            (.details(at: 300, .failed, start: -600, failure: "late"), ["anomaly:outcomeChanged", "failed"]),
            (.details(at: 600, .failed, start: -600, failure: "late"), []),
        ]),
        Scenario(name: "a completion before the start is an anomaly", steps: [
            (.details(at: 0, .succeeded, start: -60, complete: -600), ["succeeded", "anomaly:completedBeforeStart"]),
            (.details(at: 300, .succeeded, start: -60, complete: -600), []),
        ]),
        Scenario(name: "an unknown status is reported once, and the run's outcome later", steps: [
            (.details(at: 0, .inProgress, start: -10), ["started"]),
            (.details(at: 30, .unrecognized("PAUSED"), start: -10), ["unrecognizedStatus"]),
            (.details(at: 60, .unrecognized("PAUSED"), start: -10), []),
            (.details(at: 90, .unrecognized("THROTTLED_PUBLISH"), start: -10), ["unrecognizedStatus"]),
            (.details(at: 120, .succeeded, start: -10, complete: 100), ["succeeded"]),
        ]),
        Scenario(name: "a run IN_PROGRESS past its limit is stalled, once per run", steps: [
            (.details(at: 0, .inProgress, start: 0), ["started"]),
            (.details(at: 3600, .inProgress, start: 0), []),
            (.details(at: 7200, .inProgress, start: 0), ["stalled"]),
            (.details(at: 9000, .inProgress, start: 0), []),
            (.details(at: 9030, .succeeded, start: 0, complete: 9010), ["succeeded"]),
            (.details(at: 100_000, .inProgress, start: 99_000), ["started"]),
            (.details(at: 106_300, .inProgress, start: 99_000), ["stalled"]),
        ]),
        Scenario(name: "first observation of an old IN_PROGRESS run reports it started and stalled", steps: [
            (.details(at: 0, .inProgress, start: -10_000), ["started", "stalled"]),
        ]),
        Scenario(name: "the stall limit is the pool's own", steps: [
            (.details(at: 0, .inProgress, start: 0), ["started"]),
            (.details(at: 100, .inProgress, start: 0), ["stalled"]),
        ], stallAfter: 90),
        Scenario(name: "transient errors are reported after the threshold, and the recovery once", steps: [
            (.failure(at: 0, .transient, code: "HTTP 503"), []),
            (.failure(at: 5, .transient, code: "HTTP 503"), []),
            (.failure(at: 15, .transient, code: "Timeout"), ["pollFailing"]),
            (.failure(at: 35, .transient, code: "HTTP 503"), []),
            (.details(at: 75, .notStarted, start: nil), ["pollRecovered"]),
            (.details(at: 675, .notStarted, start: nil), []),
        ]),
        Scenario(name: "a short transient blip is never reported, nor its recovery", steps: [
            (.failure(at: 0, .transient, code: "ConnectionReset"), []),
            (.details(at: 5, .notStarted, start: nil), []),
        ]),
        Scenario(name: "throttling counts like transient errors", steps: [
            (.failure(at: 0, .throttled, code: "ThrottlingException"), []),
            (.failure(at: 5, .throttled, code: "ThrottlingException"), []),
            (.failure(at: 15, .throttled, code: "ThrottlingException"), ["pollFailing"]),
        ]),
        Scenario(name: "a lasting error is reported at once, and a different lasting error again", steps: [
            (.failure(at: 0, .lasting, code: "NotAuthorizedException"), ["pollFailing"]),
            (.failure(at: 600, .lasting, code: "NotAuthorizedException"), []),
            (.failure(at: 1200, .lasting, code: "ResourceNotFoundException"), ["pollFailing"]),
            (.failure(at: 1800, .transient, code: "HTTP 500"), []),
            (.details(at: 2400, .notStarted, start: nil), ["pollRecovered"]),
        ]),
        Scenario(name: "an unreachable service is reported at once, once, and its recovery", steps: [
            (.failure(at: 0, .unreachable, code: "CertificateUntrusted"), ["pollFailing"]),
            (.failure(at: 5, .unreachable, code: "CertificateUntrusted"), []),
            (.failure(at: 15, .unreachable, code: "ProxyUnreachable"), ["pollFailing"]),
            (.failure(at: 35, .lasting, code: "NotAuthorizedException"), ["pollFailing"]),
            (.details(at: 95, .notStarted, start: nil), ["pollRecovered"]),
        ]),
        Scenario(name: "a reported transient outage turning lasting is reported again", steps: [
            (.failure(at: 0, .transient, code: "HTTP 503"), []),
            (.failure(at: 5, .transient, code: "HTTP 503"), []),
            (.failure(at: 15, .transient, code: "HTTP 503"), ["pollFailing"]),
            (.failure(at: 35, .lasting, code: "ExpiredTokenException"), ["pollFailing"]),
            (.failure(at: 635, .lasting, code: "ExpiredTokenException"), []),
        ]),
        Scenario(name: "a run that failed during a poll outage is reported after the recovery", steps: [
            (.details(at: 0, .inProgress, start: -10), ["started"]),
            (.failure(at: 30, .lasting, code: "UnrecognizedClientException"), ["pollFailing"]),
            (.details(at: 630, .failed, start: -10, failure: "boom"), ["pollRecovered", "failed"]),
        ]),
    ]

    @Test(arguments: scenarios)
    func scenario(_ scenario: Scenario) {
        var settings = Fixture.pool().settings
        settings.stallAfter = .seconds(scenario.stallAfter)
        var machine = PoolStateMachine(pool: WatchedPool(id: Fixture.poolID, name: "game-prod", settings: settings))
        for (index, (step, expected)) in scenario.steps.enumerated() {
            let events = step.apply(to: &machine)
            #expect(kinds(events) == expected, "step \(index): \(step)")
        }
    }

    @Test(arguments: scenarios)
    func restoringPersistedStateReportsNothingTwice(_ scenario: Scenario) throws {
        // Replaying every step against a machine restored from the JSON of the state after that
        // step must produce no event at all: what was reported stays reported across a restart.
        var settings = Fixture.pool().settings
        settings.stallAfter = .seconds(scenario.stallAfter)
        let pool = WatchedPool(id: Fixture.poolID, name: "game-prod", settings: settings)
        var machine = PoolStateMachine(pool: pool)
        for (step, _) in scenario.steps {
            _ = step.apply(to: &machine)
            let saved = try JSONEncoder().encode(machine.state)
            var restored = PoolStateMachine(pool: pool, restoring: try JSONDecoder().decode(PoolState.self, from: saved))
            let again = step.apply(to: &restored)
            #expect(again.filter { $0.kind != .pollFailing }.isEmpty, "\(step) reported again: \(kinds(again))")
            machine = restored
        }
    }

    @Test func persistedStateFromBeforeAFailureReportsTheFailureOnce() {
        // The daemon saw the run IN_PROGRESS and persisted that; it was down when the run failed.
        var before = PoolStateMachine(pool: Fixture.pool())
        _ = before.observe(BulkPublishDetails(status: .inProgress, startTime: Fixture.at(0)), at: Fixture.at(10))
        var after = PoolStateMachine(pool: Fixture.pool(), restoring: before.state)
        let failed = BulkPublishDetails(status: .failed, startTime: Fixture.at(0), failureMessage: "denied")
        let events = after.observe(failed, at: Fixture.at(5000))
        #expect(events.map(\.kind) == [.failed])
        #expect(events.first?.previousStatus == .inProgress)
        #expect(after.observe(failed, at: Fixture.at(5300)).isEmpty)
    }

    @Test func eventsCarryWhatAJournalEntryNeeds() throws {
        var machine = PoolStateMachine(pool: Fixture.pool())
        _ = machine.observe(BulkPublishDetails(status: .inProgress, startTime: Fixture.at(0)), at: Fixture.at(30))
        let events = machine.observe(
            BulkPublishDetails(
                identityPoolID: Fixture.poolID.rawValue, status: .failed, startTime: Fixture.at(0),
                completeTime: Fixture.at(125), failureMessage: "Kinesis stream 'x' does not exist"
            ),
            at: Fixture.at(150)
        )
        let event = try #require(events.first)
        #expect(event.kind == .failed)
        #expect(event.severity == .error)
        #expect(event.poolID == Fixture.poolID)
        #expect(event.poolName == "game-prod")
        #expect(event.previousStatus == .inProgress)
        #expect(event.status == .failed)
        #expect(event.startTime == Fixture.at(0))
        #expect(event.completeTime == Fixture.at(125))
        #expect(event.duration == 125)
        #expect(event.failureMessage == "Kinesis stream 'x' does not exist")
        #expect(event.observedAt == Fixture.at(150))
        #expect(event.identity == "\(Fixture.poolID)/1800000000000/failed")
        #expect(event.message == "Bulk publish of pool 'game-prod' (\(Fixture.poolID)) FAILED after 2m 5s "
            + "(started 2027-01-15T08:00:00Z): Kinesis stream 'x' does not exist")
    }

    /// daemon-status shows the FAILED run's message: the state keeps it (on one line) until the
    /// next run starts.
    @Test func theStateKeepsAFailedRunsMessageUntilTheNextRun() {
        var machine = PoolStateMachine(pool: Fixture.pool())
        _ = machine.observe(BulkPublishDetails(status: .inProgress, startTime: Fixture.at(0)), at: Fixture.at(30))
        #expect(machine.state.run?.failureMessage == nil)
        _ = machine.observe(
            BulkPublishDetails(status: .failed, startTime: Fixture.at(0), completeTime: Fixture.at(60), failureMessage: "stream\ngone"),
            at: Fixture.at(90))
        #expect(machine.state.run?.failureMessage == "stream gone")
        _ = machine.observe(BulkPublishDetails(status: .failed, startTime: Fixture.at(0), completeTime: Fixture.at(60)), at: Fixture.at(120))
        #expect(machine.state.run?.failureMessage == "stream gone", "an answer without the message keeps the one seen")
        _ = machine.observe(BulkPublishDetails(status: .inProgress, startTime: Fixture.at(300)), at: Fixture.at(330))
        #expect(machine.state.run?.failureMessage == nil)
    }

    @Test func pollErrorEventsCarryTheCodeAndTheOutage() throws {
        var machine = PoolStateMachine(pool: Fixture.pool())
        let failing = try #require(machine.observe(
            PollFailure(kind: .lasting, code: "NotAuthorizedException", message: "not allowed"), at: Fixture.at(0)
        ).first)
        #expect(failing.kind == .pollFailing)
        #expect(failing.severity == .warning)
        #expect(failing.errorCode == "NotAuthorizedException")
        #expect(failing.detail == "not allowed")
        let recovered = try #require(machine.observe(BulkPublishDetails(status: .notStarted), at: Fixture.at(900)).first)
        #expect(recovered.kind == .pollRecovered)
        #expect(recovered.severity == .notice)
        #expect(recovered.duration == 900)
        #expect(recovered.errorCode == "NotAuthorizedException")
        #expect(failing.identity != recovered.identity)
    }

    @Test func theSameFactDerivedAgainHasTheSameIdentity() {
        // A crash between reporting and persisting: a machine from the older state derives the
        // event again, with the identity a sink can deduplicate on.
        let details = BulkPublishDetails(status: .failed, startTime: Fixture.at(0), failureMessage: "x")
        var first = PoolStateMachine(pool: Fixture.pool())
        var second = PoolStateMachine(pool: Fixture.pool())
        let a = first.observe(details, at: Fixture.at(100))
        let b = second.observe(details, at: Fixture.at(400))
        #expect(a.map(\.identity) == b.map(\.identity))
    }

    @Test func aResponseWithoutStatusIsATransientFailure() {
        var machine = PoolStateMachine(pool: Fixture.pool(reportErrorsAfter: 1))
        let events = machine.observe(BulkPublishDetails(status: nil), at: Fixture.at(0))
        #expect(events.map(\.kind) == [.pollFailing])
        #expect(events.first?.errorCode == "MissingStatus")
        #expect(machine.state.failure?.kind == .transient)
    }
}

struct MissingStartTimeTests {
    @Test func aResponseWithoutStartTimeBelongsToTheKnownRun() {
        var machine = PoolStateMachine(pool: Fixture.pool())
        let run = BulkPublishDetails(status: .inProgress, startTime: Fixture.at(0))
        #expect(machine.observe(run, at: Fixture.at(10)).map(\.kind) == [.started])
        #expect(machine.observe(BulkPublishDetails(status: .inProgress), at: Fixture.at(40)).isEmpty)
        #expect(machine.observe(run, at: Fixture.at(70)).isEmpty)
        let done = BulkPublishDetails(status: .succeeded)
        #expect(machine.observe(done, at: Fixture.at(100)).map(\.kind) == [.succeeded])
    }
}
