import Daemon
import NIOCore
import NIOPosix
import Testing

/// The daemon's sleep: on an event loop's timer, never early, and cut short by cancellation.
struct EventLoopSleepTests {
    @Test func sleepsAtLeastTheDuration() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let began = ContinuousClock.now
        try await EventLoopSleep.sleep(for: .milliseconds(50), on: group.next())
        #expect(ContinuousClock.now - began >= .milliseconds(50))
        try await group.shutdownGracefully()
    }

    @Test func cancellationEndsTheSleepWithCancellationError() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let sleeper = Task { try await EventLoopSleep.sleep(for: .seconds(3600), on: group.next()) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        try await group.shutdownGracefully()
    }

    @Test func aTaskCancelledBeforeItSleepsDoesNotSleep() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await EventLoopSleep.sleep(for: .seconds(3600), on: group.next())
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        try await group.shutdownGracefully()
    }
}
