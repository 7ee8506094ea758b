import DaemonTestSupport
import Daemon
import Model
import NIOCore
import NIOPosix
import Synchronization
import Testing

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
            scheduler: DispatchTimerScheduler(executor: executor), executor: executor,
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
