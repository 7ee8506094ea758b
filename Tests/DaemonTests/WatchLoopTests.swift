import DaemonTestSupport
import Daemon
import Foundation
import Model
import Testing

/// The loop driven by a manual clock and scripted answers: every state-machine scenario
/// through the loop, cadences, limits, throttling, the watchdog and the status line.
struct WatchLoopTests {
    typealias H = LoopHarness

    @Test func aRunThatSucceedsIsReportedOnceAndPolledAtTheRightCadences() async throws {
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [
            (0, Answer.details(.notStarted)),
            (600, Answer.details(.inProgress, start: 590)),
            (690, Answer.details(.succeeded, start: 590, complete: 680)),
        ]])
        await harness.start()
        await harness.advance(by: 2000)
        #expect(harness.sink.kinds == [.started, .succeeded])
        // NOT_STARTED polls every 600 s; IN_PROGRESS every 30 s; finished every 300 s.
        #expect(harness.fetcher.pollTimes(of: H.a).prefix(6) == [0, 600, 630, 660, 690, 990])
        let state = try #require(await harness.loop.states[H.a])
        #expect(state.lastStatus == .succeeded)
    }

    @Test func aFailureIsReportedWithItsMessage() async throws {
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [
            (0, Answer.details(.inProgress, start: -5)),
            (30, Answer.details(.failed, start: -5, failure: "Kinesis stream not found")),
        ]])
        await harness.start()
        await harness.advance(by: 100)
        #expect(harness.sink.kinds == [.started, .failed])
        #expect(harness.sink.events.last?.failureMessage == "Kinesis stream not found")
    }

    @Test func aStallIsReportedOncePerRun() async {
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.inProgress, start: 0))]])
        await harness.start()
        await harness.advance(by: 3600 * 3)
        #expect(harness.sink.kinds == [.started, .stalled])
    }

    @Test func pollErrorsAreReportedOnceAndTheRecoveryToo() async {
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [
            (0, Answer.failure(.transient, "HTTP 503")),
            (500, Answer.details(.notStarted)),
        ]])
        await harness.start()
        await harness.advance(by: 1500)
        #expect(harness.sink.kinds == [.pollFailing, .pollRecovered])
        // Backoff between failed polls grows (jitter may shorten each wait), and polling
        // resumes at the idle cadence after the recovery.
        let times = harness.fetcher.pollTimes(of: H.a)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 1 })
        #expect(abs((gaps.last ?? 0) - 600) < 0.001)
    }

    @Test func everyPoolIsPolledAndReportedSeparately() async {
        let harness = H(configuration: H.configuration([H.a, H.b, H.c]), scripts: [
            H.a: [(0, Answer.details(.succeeded, start: -100, complete: -10))],
            H.b: [(0, Answer.details(.failed, start: -100, failure: "x"))],
            H.c: [(0, Answer.failure(.lasting, "NotAuthorizedException"))],
        ])
        await harness.start()
        #expect(harness.sink.kinds(of: H.a) == [.succeeded])
        #expect(harness.sink.kinds(of: H.b) == [.failed])
        #expect(harness.sink.kinds(of: H.c) == [.pollFailing])
        let status = await harness.loop.statusLine
        #expect(status?.hasPrefix("3 pools: 1 FAILED, 1 SUCCEEDED, 1 status unknown; 1 failing to poll") == true)
    }

    /// Pools in two accounts: when every pool of one identity fails, the status line names that
    /// identity, the other pools go on; pools of an identity that only partly fail, or a
    /// daemon with one identity, are not named. A reload that gives the pool another identity
    /// moves it in the count.
    @Test func theStatusLineNamesAnIdentityWhosePoolsAllFail() async {
        let audit = PoolIdentity(profile: "audit")
        var configuration = H.configuration([H.a, H.b, H.c])
        configuration.pools[1].identity = audit
        configuration.pools[2].identity = audit
        let harness = H(configuration: configuration, scripts: [
            H.a: [(0, Answer.details(.succeeded, start: -100, complete: -10))],
            H.b: [(0, Answer.failure(.lasting, "UnrecognizedClientException"))],
            H.c: [(0, Answer.failure(.lasting, "UnrecognizedClientException"))],
        ])
        await harness.start()
        #expect(harness.sink.kinds(of: H.a) == [.succeeded])
        #expect(await harness.loop.statusLine?.hasPrefix(
            "3 pools: 1 SUCCEEDED, 2 status unknown; 2 failing to poll (every pool of profile audit)") == true)

        // One of the two moves to the configuration's identity: profile audit's one remaining
        // pool still fails, so it is still named; the configured identity, with one pool polling
        // and one failing, is not.
        var moved = configuration
        moved.pools[2].identity = nil
        await harness.loop.reload(configuration: moved)
        await harness.advance(by: 1)
        #expect(await harness.loop.statusLine?.hasPrefix("3 pools: 1 SUCCEEDED, 2 status unknown; 2 failing to poll (every pool of profile audit)") == true)
        var both = configuration
        both.pools[1].identity = nil
        both.pools[2].identity = nil
        await harness.loop.reload(configuration: both)
        await harness.advance(by: 1)
        #expect(await harness.loop.statusLine?.hasPrefix("3 pools: 1 SUCCEEDED, 2 status unknown; 2 failing to poll") == true)
        #expect(await harness.loop.statusLine?.contains("every pool of") == false)
    }

    @Test func nothingWakesBetweenDuePolls() async {
        let harness = H(configuration: H.configuration([H.a, H.b]), scripts: [
            H.a: [(0, Answer.details(.notStarted))], H.b: [(0, Answer.details(.notStarted))],
        ])
        await harness.start()
        let before = harness.scheduler.armRequests
        #expect(harness.scheduler.deadline == harness.scheduler.now() + .seconds(600))
        await harness.advance(by: 599)
        #expect(harness.fetcher.totalPolls == 2)
        #expect(harness.scheduler.armRequests == before)
        await harness.advance(by: 1)
        #expect(harness.fetcher.totalPolls == 4)
    }

    @Test func theRequestRateLimitSpreadsPollsOut() async {
        let pools = (0..<10).map { try! IdentityPoolID(validating: "us-east-1:0000000\($0)-0000-0000-0000-000000000000") }
        let limits = RequestLimits(maxRequestsPerSecond: 2, maxConcurrentPolls: 100, requestTimeout: .seconds(10))
        let harness = H(configuration: H.configuration(pools, limits: limits),
                        scripts: Dictionary(uniqueKeysWithValues: pools.map { ($0, [(0.0, Answer.details(.notStarted))]) }))
        await harness.start()
        #expect(harness.fetcher.totalPolls == 2, "a burst of one second's worth")
        await harness.advance(by: 1)
        #expect(harness.fetcher.totalPolls == 4)
        await harness.advance(by: 3)
        #expect(harness.fetcher.totalPolls == 10)
    }

    @Test func theConcurrencyLimitHoldsPollsBack() async {
        let pools = (0..<5).map { try! IdentityPoolID(validating: "us-east-1:0000000\($0)-0000-0000-0000-000000000000") }
        let gated = GatedFetcher(answer: BulkPublishDetails(status: .notStarted))
        let limits = RequestLimits(maxRequestsPerSecond: 100, maxConcurrentPolls: 2, requestTimeout: .seconds(10))
        let scheduler = ManualScheduler()
        let sink = RecordingSink()
        let loop = WatchLoop(
            configuration: H.configuration(pools, limits: limits), fetcher: gated, sink: sink, store: MemoryStateStore(),
            notifier: RecordingNotifier(), scheduler: scheduler, executor: QueueExecutor(queue: .init(label: "t")),
            random: SplitMix(state: 1), logger: H.quiet
        )
        await loop.start()
        await gated.waitForPolls(2)
        #expect(gated.waitingCount == 2)
        gated.release()
        await loop.settle()
        let polled = await loop.states.values.filter { $0.lastStatus == .notStarted }.count
        #expect(polled == 5)
        #expect(gated.peakInFlight == 2, "never more polls at once than maxConcurrentPolls")
    }

    @Test func throttlingSlowsTheWholeRegionDown() async {
        let harness = H(configuration: H.configuration([H.a, H.b, H.c], settings: PoolSettings(
            inProgressInterval: .seconds(1), idleInterval: .seconds(600), finishedInterval: .seconds(300), stallAfter: .seconds(3600),
            reportErrorsAfter: 3, jitter: 0, errorBackoffBase: .seconds(5), errorBackoffMax: .seconds(300)
        )), scripts: [
            H.a: [(0, Answer.failure(.throttled, "ThrottlingException", retryAfter: .seconds(20))), (1, Answer.details(.inProgress, start: 0))],
            H.b: [(0, Answer.details(.inProgress, start: 0))],
            H.c: [(0, Answer.details(.inProgress, start: 0))],
        ])
        await harness.start()
        await harness.advance(by: 10)
        // b shares a's region: paused with it; c is elsewhere and keeps its 1 s cadence.
        #expect(harness.fetcher.pollTimes(of: H.b).count <= 2)
        #expect(harness.fetcher.pollTimes(of: H.c).count >= 10)
        await harness.advance(by: 15)
        #expect(harness.fetcher.pollTimes(of: H.b).count > 2)
    }

    @Test func aWallClockJumpNeitherFloodsNorStarves() async {
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.notStarted))]])
        await harness.start()
        harness.scheduler.jumpWallClock(by: -86_400)
        await harness.advance(by: 600)
        harness.scheduler.jumpWallClock(by: 3 * 86_400)
        await harness.advance(by: 600)
        #expect(harness.fetcher.pollTimes(of: H.a) == [0, 600, 1200])
    }

    @Test func theWatchdogIsPingedWhileTheLoopProgresses() async {
        let notifier = RecordingNotifier(watchdogInterval: .seconds(10))
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.notStarted))]], notifier: notifier)
        await harness.start()
        #expect(harness.scheduler.deadline == harness.scheduler.now() + .seconds(10), "wakes for the watchdog, not only for polls")
        await harness.advance(by: 100)
        #expect(notifier.watchdogPings >= 10)
        #expect(harness.fetcher.totalPolls == 1)
    }

    @Test func aStuckPollStopsTheWatchdog() async {
        let gated = GatedFetcher(answer: BulkPublishDetails(status: .notStarted))
        let scheduler = ManualScheduler()
        let notifier = RecordingNotifier(watchdogInterval: .seconds(10))
        let loop = WatchLoop(
            configuration: H.configuration([H.a]), fetcher: gated, sink: RecordingSink(), store: MemoryStateStore(),
            notifier: notifier, scheduler: scheduler, executor: QueueExecutor(queue: .init(label: "t")),
            random: SplitMix(state: 1), logger: H.quiet
        )
        await loop.start()
        await gated.waitForPolls(1)
        await scheduler.advance(by: .seconds(60)) {}
        #expect(notifier.watchdogPings > 0, "a poll may take a while: pings go on at first")
        // Longer than a poll can take with all its retries (3 × 10 s timeouts, waits, a
        // credential_process): the loop is stuck, and the pings stop.
        await scheduler.advance(by: .seconds(240)) {}
        let stuck = notifier.watchdogPings
        await scheduler.advance(by: .seconds(600)) {}
        #expect(notifier.watchdogPings == stuck, "a poll in flight for 15 minutes means the loop is stuck")
        gated.release()
        await loop.settle()
    }

    @Test func statusLineSummarisesThePools() async {
        let harness = H(configuration: H.configuration([H.a, H.b]), scripts: [
            H.a: [(0, Answer.details(.inProgress, start: 0))], H.b: [(0, Answer.details(.notStarted))],
        ])
        await harness.start()
        let status = harness.notifier.lastStatus ?? ""
        #expect(status.hasPrefix("2 pools: 1 IN_PROGRESS, 1 NOT_STARTED; last poll 2027-01-15T08:00:00Z"), "\(status)")
    }
}
