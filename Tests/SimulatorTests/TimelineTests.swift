import Foundation
import Model
import Simulator
import Testing

/// The timeline rules, checked through the public `details(for:)` at manual-clock times.
struct TimelineTests {
    /// What a pool should report at a time: status, start and completion (seconds after the
    /// simulator's start) and failure message.
    struct Expected: Sendable, CustomTestStringConvertible {
        var at: Double
        var status: BulkPublishStatus
        var start: Double?
        var complete: Double?
        var failure: String?

        var testDescription: String { "t=\(at) → \(status)" }
    }

    private func check(_ timeline: [TimelineEntry], _ expected: Expected) throws {
        let clock = ManualClock()
        let pool = try PoolIDs.id(PoolIDs.succeeding)
        let simulator = Simulator(scenario: Scenario(pools: [ScenarioPool(id: pool, timeline: timeline)]), clock: clock, logger: quietLogger)
        clock.advance(by: expected.at)
        let details = try #require(simulator.details(for: pool))
        let start = simulator.startDate
        #expect(details.identityPoolID == pool.rawValue)
        #expect(details.status == expected.status)
        #expect(details.startTime == expected.start.map { start.addingTimeInterval($0) })
        #expect(details.completeTime == expected.complete.map { start.addingTimeInterval($0) })
        #expect(details.failureMessage == expected.failure)
    }

    static let succeeding: [TimelineEntry] = [
        TimelineEntry(at: 0, status: .notStarted),
        TimelineEntry(at: 2, status: .inProgress),
        TimelineEntry(at: 6, status: .succeeded),
    ]

    @Test(arguments: [
        Expected(at: 0, status: .notStarted),
        Expected(at: 1.999, status: .notStarted),
        Expected(at: 2, status: .inProgress, start: 2),
        Expected(at: 5.5, status: .inProgress, start: 2),
        Expected(at: 6, status: .succeeded, start: 2, complete: 6),
        Expected(at: 86_400, status: .succeeded, start: 2, complete: 6),
    ])
    func aRunThatSucceeds(expected: Expected) throws {
        try check(Self.succeeding, expected)
    }

    static let failingAfterRestart: [TimelineEntry] = [
        TimelineEntry(at: -3600, status: .succeeded, startedAt: -7200),
        TimelineEntry(at: 1, status: .inProgress, startedAt: 0.5),
        TimelineEntry(at: 3, status: .inProgress),
        TimelineEntry(at: 4, status: .failed, failureMessage: "stream gone"),
        TimelineEntry(at: 5, status: .unrecognized("PAUSED")),
        TimelineEntry(at: 7, status: .inProgress),
        TimelineEntry(at: 9, status: .notStarted),
        TimelineEntry(at: 10, status: .failed, startedAt: 8, failureMessage: "again"),
        TimelineEntry(at: 11, status: .succeeded),
    ]

    @Test(arguments: [
        // A run finished an hour before the start.
        Expected(at: 0, status: .succeeded, start: -7200, complete: -3600),
        // An explicit startedAt; a second IN_PROGRESS continues the same run.
        Expected(at: 1, status: .inProgress, start: 0.5),
        Expected(at: 3, status: .inProgress, start: 0.5),
        Expected(at: 4, status: .failed, start: 0.5, complete: 4, failure: "stream gone"),
        // An unknown status keeps the times, and drops the failure message.
        Expected(at: 5, status: .unrecognized("PAUSED"), start: 0.5, complete: 4),
        // A new run after a finished one.
        Expected(at: 7, status: .inProgress, start: 7),
        // NOT_STARTED forgets everything.
        Expected(at: 9, status: .notStarted),
        // A terminal entry without a run: its startedAt, or its own time.
        Expected(at: 10, status: .failed, start: 8, complete: 10, failure: "again"),
        Expected(at: 11, status: .succeeded, start: 11, complete: 11),
    ])
    func aScriptWithEveryRule(expected: Expected) throws {
        try check(Self.failingAfterRestart, expected)
    }

    @Test func beforeTheFirstEntryAndWithoutATimelineAPoolIsNotStarted() throws {
        try check([TimelineEntry(at: 10, status: .inProgress)], Expected(at: 9, status: .notStarted))
        try check([], Expected(at: 1000, status: .notStarted))
    }

    @Test func anUndeclaredPoolHasNoDetails() throws {
        let simulator = Simulator(scenario: try standardScenario(), clock: ManualClock(), logger: quietLogger)
        #expect(simulator.details(for: try PoolIDs.id(PoolIDs.undeclared)) == nil)
    }
}
