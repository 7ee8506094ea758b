import DaemonTestSupport
import Daemon
import Foundation
import Model
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

/// The event-loop timer, on an embedded event loop whose clock moves only when the test says so.
@Suite struct EventLoopSchedulerTests {
    /// The monotonic times at which the handler ran.
    final class Firings: Sendable {
        private let times = Mutex<[Double]>([])
        func record(_ time: Double) { times.withLock { $0.append(time) } }
        var all: [Double] { times.withLock { $0 } }
    }

    static func make() -> (EmbeddedEventLoop, EventLoopScheduler, Firings) {
        let loop = EmbeddedEventLoop()
        let scheduler = EventLoopScheduler(eventLoop: loop, executor: EventLoopExecutor(eventLoop: loop))
        let firings = Firings()
        scheduler.setHandler { [scheduler] in firings.record((scheduler.now() - .origin).seconds) }
        return (loop, scheduler, firings)
    }

    static func advance(_ loop: EmbeddedEventLoop, to seconds: Double) {
        loop.advanceTime(to: .uptimeNanoseconds(UInt64(seconds * 1e9)))
    }

    @Test func firesOnceAtTheDeadlineOnTheLoopsClock() {
        let (loop, scheduler, firings) = Self.make()
        #expect(scheduler.now() == .origin)
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(clamping: 5))))
        Self.advance(loop, to: 4.999)
        #expect(firings.all == [])
        Self.advance(loop, to: 5)
        #expect(firings.all == [5])
        Self.advance(loop, to: 60)
        #expect(firings.all == [5], "one wake-up per request")
    }

    @Test func aLaterDeadlineReplacesTheEarlierOne() {
        let (loop, scheduler, firings) = Self.make()
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(5))))
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(7))))
        Self.advance(loop, to: 60)
        // Whether a later deadline is worth re-arming for is the state machine's decision.
        #expect(firings.all == [7])
    }

    @Test func anEarlierDeadlineReplacesTheLaterOne() {
        let (loop, scheduler, firings) = Self.make()
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(clamping: 7))))
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(clamping: 3))))
        Self.advance(loop, to: 60)
        #expect(firings.all == [3])
    }

    @Test func noDeadlineCancels() {
        let (loop, scheduler, firings) = Self.make()
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(clamping: 5))))
        scheduler.arm(nil)
        Self.advance(loop, to: 60)
        #expect(firings.all == [])
    }

    @Test func aFiredTimerCanBeArmedAgainForALaterTime() {
        let (loop, scheduler, firings) = Self.make()
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(clamping: 2))))
        Self.advance(loop, to: 2)
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(clamping: 4))))
        Self.advance(loop, to: 3)
        #expect(firings.all == [2])
        Self.advance(loop, to: 4)
        #expect(firings.all == [2, 4])
    }

    @Test func aDeadlineInThePastFiresAtOnce() {
        let (loop, scheduler, firings) = Self.make()
        Self.advance(loop, to: 10)
        scheduler.arm(WakeUp(deadline: .init(sinceOrigin: .seconds(clamping: 3))))
        loop.run()  // no time passes
        #expect(firings.all.count == 1)
    }
}

/// The daemon's arrangement: the loop and its polls on the event loop that would own the
/// connections, so a poll never changes threads.
@Suite struct EventLoopExecutorTests {
    /// Answers NOT_STARTED after a hop through the event loop (as the HTTP client's answer
    /// arrives) and records, for every poll, whether it ran on the event loop before and after.
    final class ThreadCheckingFetcher: DetailsFetcher {
        let eventLoop: any EventLoop
        private let observed = Mutex<[(pool: IdentityPoolID, before: Bool, after: Bool)]>([])

        init(eventLoop: any EventLoop) {
            self.eventLoop = eventLoop
        }

        func fetchDetails(for pool: WatchedPool) async -> Result<BulkPublishDetails, PollFailure> {
            let before = eventLoop.inEventLoop
            let details = try? await eventLoop.submit { BulkPublishDetails(status: .notStarted) }.get()
            let after = eventLoop.inEventLoop
            observed.withLock { $0.append((pool.id, before, after)) }
            return details.map { .success($0) } ?? .failure(PollFailure(kind: .transient, code: "Test", message: "no answer"))
        }

        var polls: [(pool: IdentityPoolID, before: Bool, after: Bool)] { observed.withLock { $0 } }
    }

    @Test func pollsRunOnTheEventLoopFromStartToFinish() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let eventLoop = group.next()
        let executor = EventLoopExecutor(eventLoop: eventLoop)
        let fetcher = ThreadCheckingFetcher(eventLoop: eventLoop)
        let sink = RecordingSink()
        let pools = [LoopHarness.a, LoopHarness.b, LoopHarness.c]
        let loop = WatchLoop(
            configuration: LoopHarness.configuration(pools), fetcher: fetcher, sink: sink,
            store: MemoryStateStore(), notifier: RecordingNotifier(),
            scheduler: EventLoopScheduler(eventLoop: eventLoop, executor: executor), executor: executor,
            logger: LoopHarness.quiet
        )
        await loop.start()
        await loop.settle()
        let polls = fetcher.polls
        #expect(Set(polls.map(\.pool)) == Set(pools))
        #expect(polls.allSatisfy { $0.before && $0.after }, "every poll ran on the event loop: \(polls)")
        #expect(await loop.states.values.allSatisfy { $0.lastStatus == .notStarted })
        await loop.stop(gracePeriod: .seconds(1))
        try await group.shutdownGracefully()
    }
}
