import Daemon
import Foundation
import Model
import Testing

/// The loop's decisions as plain values: no clock, no tasks, no files.
@Suite struct LoopStateMachineTests {
    typealias H = LoopHarness

    /// Always the largest draw: no jitter early, backoff at its ceiling.
    struct Highest: RandomNumberGenerator, Sendable {
        mutating func next() -> UInt64 { .max }
    }

    static let t0 = MonotonicInstant(sinceOrigin: .seconds(1000))
    static let wall = Date(timeIntervalSince1970: 1_800_000_000)
    static let idle = BulkPublishDetails(status: .notStarted)

    static func machine(
        _ pools: [IdentityPoolID], limits: RequestLimits = RequestLimits(maxRequestsPerSecond: 100, maxConcurrentPolls: 8, requestTimeout: .seconds(10)),
        watchdog: Duration? = nil, metrics: Bool = false
    ) -> (LoopStateMachine, LoopActions) {
        let configuration = H.configuration(pools, limits: limits)
        var machine = LoopStateMachine(
            settings: .init(configuration, baseline: false, collectsMetrics: metrics),
            health: Health(watchdogInterval: watchdog, longestLegitimatePoll: PollBudget.longestLegitimatePoll(requestTimeout: .seconds(10))),
            random: Highest())
        let actions = machine.start(pools: configuration.pools, restored: [:], now: t0)
        return (machine, actions)
    }

    /// Finishes `start`'s poll with `result`; completes its record (accepted and saved) if any.
    static func finish(
        _ machine: inout LoopStateMachine, _ start: PollStart, _ result: Result<BulkPublishDetails, PollFailure> = .success(idle),
        at now: MonotonicInstant
    ) -> LoopActions {
        let actions = machine.pollFinished(start.pool.id, token: start.token, result: result, now: now, wallNow: wall)
        guard let record = actions.record else { return actions }
        return machine.recorded(record, delivered: true, saved: true, now: now)
    }

    @Test func startPollsEveryPoolAtOnceUpToTheConcurrencyLimit() {
        let (machine, actions) = Self.machine([H.a, H.b, H.c], limits: RequestLimits(maxRequestsPerSecond: 100, maxConcurrentPolls: 2))
        #expect(actions.polls.count == 2)
        #expect(machine.inFlightCount == 2)
        // Every slot busy and no watchdog: a finishing poll wakes the loop, not a timer.
        #expect(actions.timer == .keep)
        #expect(machine.armedWakeUp == nil)
    }

    @Test func aFinishedPollFreesItsSlotForTheNextPool() {
        var (machine, actions) = Self.machine([H.a, H.b, H.c], limits: RequestLimits(maxRequestsPerSecond: 100, maxConcurrentPolls: 2))
        let first = actions.polls[0]
        let next = Self.finish(&machine, first, at: Self.t0 + .seconds(1))
        #expect(next.polls.count == 1)
        #expect(!actions.polls.map(\.pool.id).contains(next.polls[0].pool.id))
        #expect(machine.inFlightCount == 2)
    }

    @Test func theRateLimitReleasesABatchOfPollsPerWakeUp() {
        let pools = [H.a, H.b, H.c]
        var (machine, actions) = Self.machine(pools, limits: RequestLimits(maxRequestsPerSecond: 1, maxConcurrentPolls: 8))
        #expect(actions.polls.count == 1, "a burst of one second's worth: one request")
        // One wake-up when a token is there (1 s), not one per token.
        #expect(actions.timer == .arm(WakeUp(deadline: Self.t0 + .seconds(1), leeway: .milliseconds(500))))
        let later = machine.timerFired(now: Self.t0 + .seconds(1))
        #expect(later.polls.count == 1)
        #expect(machine.timerFired(now: Self.t0 + .seconds(1)).polls.isEmpty, "no token twice")
    }

    @Test func theTimerIsReArmedOnlyForAnEarlierDeadline() {
        var (machine, actions) = Self.machine([H.a])
        let poll = actions.polls[0]
        actions = Self.finish(&machine, poll, at: Self.t0)
        // NOT_STARTED: next poll at the idle cadence, 600 s (no early jitter with the highest draw).
        #expect(actions.timer == .arm(WakeUp(deadline: Self.t0 + .seconds(600), leeway: .milliseconds(500))))
        // A reload with a slower cadence leaves the armed (earlier) wake-up alone: it fires
        // early, finds nothing due and arms again.
        var slower = H.configuration([H.a])
        slower.pools[0].settings.idleInterval = .seconds(1200)
        let reload = machine.reload(slower, restored: [:], newClient: false, now: Self.t0 + .seconds(1))
        #expect(reload.timer == .keep)
        // A faster cadence brings the wake-up forward.
        var faster = H.configuration([H.a])
        faster.pools[0].settings.idleInterval = .seconds(60)
        let sooner = machine.reload(faster, restored: [:], newClient: false, now: Self.t0 + .seconds(2))
        #expect(sooner.timer == .arm(WakeUp(deadline: Self.t0 + .seconds(62), leeway: .milliseconds(500))))
    }

    @Test func withNothingDueTheTimerIsSuspended() {
        var (machine, actions) = Self.machine([H.a])
        actions = Self.finish(&machine, actions.polls[0], at: Self.t0)
        #expect(machine.armedWakeUp != nil)
        var empty = H.configuration([])
        empty.pools = []
        let reload = machine.reload(empty, restored: [:], newClient: false, now: Self.t0 + .seconds(1))
        #expect(reload.timer == .suspend)
        #expect(machine.armedWakeUp == nil)
    }

    @Test func pollsDueWithinTheLeewayShareOneWakeUp() {
        var (machine, actions) = Self.machine([H.a, H.b])
        // a finishes now, b 0.4 s later: both next due 600 s on, 0.4 s apart, within the leeway.
        _ = Self.finish(&machine, actions.polls[0], at: Self.t0)
        actions = Self.finish(&machine, actions.polls[1], at: Self.t0 + .milliseconds(400))
        let fired = machine.timerFired(now: Self.t0 + .seconds(600))
        #expect(fired.polls.count == 2, "one wake-up serves both")
    }

    @Test func aPollWithoutNewsIsNeitherReportedNorSaved() throws {
        var (machine, actions) = Self.machine([H.a])
        let first = machine.pollFinished(H.a, token: actions.polls[0].token, result: .success(Self.idle), now: Self.t0, wallNow: Self.wall)
        #expect(first.record?.state != nil, "the first answer is new: saved")
        actions = machine.recorded(try #require(first.record), delivered: true, saved: true, now: Self.t0)
        let poll = machine.timerFired(now: Self.t0 + .seconds(600)).polls[0]
        let second = machine.pollFinished(H.a, token: poll.token, result: .success(Self.idle), now: Self.t0 + .seconds(600), wallNow: Self.wall + 600)
        #expect(second.record == nil)
        #expect(machine.inFlightCount == 0)
    }

    @Test func refusedEventsAreDerivedAgainAfterABackoffThatGrows() throws {
        var (machine, actions) = Self.machine([H.a])
        var now = Self.t0
        var token = actions.polls[0].token
        var delays: [Duration] = []
        for _ in 0..<4 {
            let finished = machine.pollFinished(H.a, token: token, result: .success(BulkPublishDetails(status: .inProgress, startTime: Self.wall)), now: now, wallNow: Self.wall)
            let record = try #require(finished.record)
            #expect(record.events.map(\.kind) == [.started], "the same event, again")
            _ = machine.recorded(record, delivered: false, saved: false, now: now)
            #expect(machine.states[H.a]?.lastStatus == nil, "the old state stays")
            let due = try #require(machine.nextDue)
            delays.append(due - now)
            now = due
            token = try #require(machine.timerFired(now: now).polls.first).token
        }
        // Base 5 s, doubling (the highest draw is the ceiling): 5, 10, 20, 40.
        #expect(delays.map { Int($0.seconds.rounded()) } == [5, 10, 20, 40])
    }

    @Test func anAcceptedRecordCommitsTheStateAndCountsTheEvents() throws {
        var (machine, actions) = Self.machine([H.a], metrics: true)
        let finished = machine.pollFinished(H.a, token: actions.polls[0].token, result: .success(BulkPublishDetails(status: .failed, startTime: Self.wall, completeTime: Self.wall, failureMessage: "x")), now: Self.t0, wallNow: Self.wall)
        let record = try #require(finished.record)
        actions = machine.recorded(record, delivered: true, saved: true, now: Self.t0)
        #expect(machine.states[H.a]?.lastStatus == .failed)
        #expect(actions.metrics.contains(.events(record.events)))
        #expect(actions.notifications.contains { if case .status(let line) = $0 { line.contains("1 FAILED") } else { false } })
    }

    @Test func metricsUpdatesAreLeftOutWhenNobodyCollects() {
        var (machine, actions) = Self.machine([H.a], metrics: false)
        #expect(actions.metrics.isEmpty)
        actions = Self.finish(&machine, actions.polls[0], at: Self.t0)
        #expect(actions.metrics.isEmpty)
    }

    @Test func aThrottledRegionHoldsItsOtherPoolsBack() throws {
        // a and b share us-east-1; c is in eu-west-1.
        var (machine, actions) = Self.machine([H.a, H.b, H.c])
        let byPool = Dictionary(uniqueKeysWithValues: actions.polls.map { ($0.pool.id, $0) })
        let throttled = PollFailure(kind: .throttled, code: "TooManyRequestsException", message: "slow down", retryAfter: .seconds(30))
        _ = Self.finish(&machine, try #require(byPool[H.a]), .failure(throttled), at: Self.t0)
        _ = Self.finish(&machine, try #require(byPool[H.b]), at: Self.t0)
        _ = Self.finish(&machine, try #require(byPool[H.c]), at: Self.t0)
        // Make b due at once by reloading it with new client settings (failing pools first).
        var fast = H.configuration([H.a, H.b, H.c])
        fast.pools = fast.pools.map { pool in var pool = pool; pool.settings.idleInterval = .seconds(2); return pool }
        _ = machine.reload(fast, restored: [:], newClient: false, now: Self.t0 + .seconds(1))
        let fired = machine.timerFired(now: Self.t0 + .seconds(3))
        #expect(fired.polls.map(\.pool.id) == [H.c], "us-east-1 waits out the 30 s the service asked for")
    }

    @Test func aPollOfARemovedPoolIsCancelledAndItsAnswerIgnored() throws {
        var (machine, actions) = Self.machine([H.a, H.b])
        let pollOfB = try #require(actions.polls.first { $0.pool.id == H.b })
        let reload = machine.reload(H.configuration([H.a]), restored: [:], newClient: false, now: Self.t0)
        #expect(reload.cancellations == [H.b])
        let late = machine.pollFinished(H.b, token: pollOfB.token, result: .success(Self.idle), now: Self.t0, wallNow: Self.wall)
        #expect(late.record == nil && late.polls.isEmpty && late.metrics.isEmpty)
        #expect(machine.states[H.b] == nil)
    }

    @Test func theWatchdogIsPingedAtHalfItsIntervalUntilAPollOutlivesTheBudget() {
        var (machine, actions) = Self.machine([H.a], watchdog: .seconds(60))
        #expect(actions.notifications.first == .watchdog)
        #expect(actions.timer == .arm(WakeUp(deadline: Self.t0 + .seconds(60), leeway: .seconds(1))))
        #expect(machine.timerFired(now: Self.t0 + .seconds(20)).notifications.isEmpty, "not before half the interval")
        #expect(machine.timerFired(now: Self.t0 + .seconds(30)).notifications.first == .watchdog)
        // The poll started at t0 is still in flight past the budget (190 s with the defaults).
        let budget = PollBudget.longestLegitimatePoll(requestTimeout: .seconds(10))
        #expect(budget == .seconds(190))
        let stuck = machine.timerFired(now: Self.t0 + budget + .seconds(1))
        #expect(stuck.notifications.isEmpty)
        #expect(stuck.logs == [.stuckPoll(budget + .seconds(1))])
    }

    @Test func aStoppedLoopStartsNothingAndSuspendsItsTimer() {
        var (machine, actions) = Self.machine([H.a])
        actions = Self.finish(&machine, actions.polls[0], at: Self.t0)
        let stop = machine.stop()
        #expect(stop.timer == .suspend)
        #expect(machine.timerFired(now: Self.t0 + .seconds(600)).polls.isEmpty)
    }

    @Test func theLeewayFollowsTheFastestCadenceWithinItsBounds() {
        func leeway(_ interval: Duration) -> Duration {
            var configuration = H.configuration([H.a])
            configuration.pools[0].settings.inProgressInterval = interval
            return LoopStateMachine.Settings(configuration, baseline: false, collectsMetrics: false).leeway
        }
        #expect(leeway(.seconds(30)) == .milliseconds(500), "2 % would be 600 ms: cut to half a second")
        #expect(leeway(.seconds(5)) == .milliseconds(100))
        #expect(leeway(.milliseconds(10)) == .milliseconds(1))
        #expect(leeway(.seconds(3600)) == .milliseconds(500))
    }
}
