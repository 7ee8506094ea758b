import Daemon
import DaemonTestSupport
import Dispatch
import Model
import NIOCore
import NIOPosix
import ProcessSupport
import Synchronization
import Testing

/// The daemon's timer: a real `DispatchSourceTimer` with deadlines a few milliseconds away. Every
/// test waits for the firings it expects (bounded, so a timer that never fires fails instead of
/// hanging) and never for time to pass in the hope that something happened.
@Suite struct DispatchTimerSchedulerTests {
    /// One run of the handler: which arm it answered (the test's count when it ran), when, and
    /// whether it ran on the loop's executor.
    struct Firing: Sendable {
        var generation: Int
        var at: MonotonicInstant
        var onExecutor: Bool
    }

    /// The firings so far, and waits for a number of them.
    final class Firings: Sendable {
        private struct Waiter {
            var id: Int
            var count: Int
            var continuation: CheckedContinuation<Bool, Never>
        }

        private struct State {
            var firings: [Firing] = []
            var generation = 0
            var waiters: [Waiter] = []
            var nextWaiter = 0
        }

        private let state = Mutex(State())

        /// Counts an arm: the firings after it carry the new count.
        func nextGeneration() {
            state.withLock { $0.generation += 1 }
        }

        var generation: Int { state.withLock { $0.generation } }
        var all: [Firing] { state.withLock { $0.firings } }

        func record(at: MonotonicInstant, onExecutor: Bool) {
            let ready = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
                state.firings.append(Firing(generation: state.generation, at: at, onExecutor: onExecutor))
                let count = state.firings.count
                let ready = state.waiters.filter { $0.count <= count }
                state.waiters.removeAll { $0.count <= count }
                return ready.map(\.continuation)
            }
            for continuation in ready { continuation.resume(returning: true) }
        }

        /// True once `count` firings happened; false if they did not within `timeout`.
        func wait(for count: Int, timeout: Duration = .seconds(10)) async -> Bool {
            await withCheckedContinuation { continuation in
                let id = state.withLock { state -> Int? in
                    guard state.firings.count < count else { return nil }
                    state.nextWaiter += 1
                    state.waiters.append(Waiter(id: state.nextWaiter, count: count, continuation: continuation))
                    return state.nextWaiter
                }
                guard let id else { return continuation.resume(returning: true) }
                Task {
                    try? await Task.sleep(for: timeout)
                    let expired = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
                        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                        return state.waiters.remove(at: index).continuation
                    }
                    expired?.resume(returning: false)
                }
            }
        }
    }

    /// The clock the scheduler reads, read without holding one.
    static func now() -> MonotonicInstant {
        MonotonicInstant(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds)
    }

    /// A scheduler on a serial queue's executor whose handler records each firing.
    static func make() -> (DispatchTimerScheduler, Firings) {
        let key = DispatchSpecificKey<Bool>()
        let queue = DispatchQueue(label: "test.loop")
        queue.setSpecific(key: key, value: true)
        let scheduler = DispatchTimerScheduler(executor: QueueExecutor(queue: queue))
        let firings = Firings()
        scheduler.setHandler { firings.record(at: Self.now(), onExecutor: DispatchQueue.getSpecific(key: key) == true) }
        return (scheduler, firings)
    }

    /// Arms `scheduler` `delay` from now, as arm number `firings.generation + 1`.
    @discardableResult
    static func arm(_ scheduler: DispatchTimerScheduler, _ firings: Firings, in delay: Duration) -> MonotonicInstant {
        firings.nextGeneration()
        let deadline = scheduler.now() + delay
        scheduler.arm(WakeUp(deadline: deadline, leeway: .milliseconds(1)))
        return deadline
    }

    @Test func firesOncePerArmNoEarlierThanTheDeadline() async throws {
        let (scheduler, firings) = Self.make()
        let first = Self.arm(scheduler, firings, in: .milliseconds(20))
        try #require(await firings.wait(for: 1))
        let second = Self.arm(scheduler, firings, in: .milliseconds(20))
        try #require(await firings.wait(for: 2))
        // A second firing of the first arm would have come before the second arm's, as arm 1 or 2.
        let all = firings.all
        #expect(all.map(\.generation) == [1, 2])
        #expect(all[0].at >= first && all[1].at >= second)
    }

    @Test func anEarlierDeadlineReplacesTheArmedOne() async throws {
        let (scheduler, firings) = Self.make()
        let far = Self.arm(scheduler, firings, in: .seconds(600))
        Self.arm(scheduler, firings, in: .milliseconds(10))
        try #require(await firings.wait(for: 1))
        #expect(firings.all.map(\.generation) == [2])
        #expect(firings.all[0].at < far)
    }

    @Test func aLaterDeadlineReplacesTheArmedOne() async throws {
        // The premise is that the second arm lands before the first deadline. A loaded machine
        // can stall this thread between the two calls for longer than any fixed margin, and a
        // deadline that passed before it was replaced rightly fires: such an attempt proves
        // nothing, so it is made again, with more room, on a fresh scheduler.
        let judged = try await withGrowingBudget(from: .milliseconds(20)) { room in
            let (scheduler, firings) = Self.make()
            let replaced = Self.arm(scheduler, firings, in: room)
            let later = Self.arm(scheduler, firings, in: room * 3)
            guard scheduler.now() < replaced else {
                scheduler.cancel()
                return false
            }
            try #require(await firings.wait(for: 1))
            #expect(firings.all.map(\.generation) == [2])
            #expect(firings.all[0].at >= later, "the replaced deadline did not fire")
            return true
        }
        #expect(judged, "the second arm never came before the first deadline")
    }

    @Test func suspendedNothingFiresAndTheNextArmFiresOnce() async throws {
        // As above: only an attempt whose suspend landed before the dropped deadline is judged.
        let judged = try await withGrowingBudget(from: .milliseconds(50)) { room in
            let (scheduler, firings) = Self.make()
            let dropped = Self.arm(scheduler, firings, in: room)
            scheduler.arm(nil)
            guard scheduler.now() < dropped else {
                scheduler.cancel()
                return false
            }
            // The dropped deadline passes while the timer is suspended (time passing, not an
            // event hoped for: whatever it would have fired stays pending in the suspended
            // source).
            while scheduler.now() < dropped + .milliseconds(30) {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(firings.all.isEmpty)
            let next = Self.arm(scheduler, firings, in: .milliseconds(10))
            try #require(await firings.wait(for: 1))
            // Anything the dropped deadline left pending would have come first, as arm 2.
            #expect(firings.all.count == 1)
            #expect(firings.all[0].at >= next)
            return true
        }
        #expect(judged, "the suspend never came before the dropped deadline")
    }

    @Test func suspendingTwiceAndArmingAfterAFiringWork() async throws {
        let (scheduler, firings) = Self.make()
        // Starts suspended: a suspend now must not suspend it twice.
        scheduler.arm(nil)
        scheduler.arm(nil)
        Self.arm(scheduler, firings, in: .milliseconds(5))
        try #require(await firings.wait(for: 1))
        scheduler.arm(nil)
        scheduler.arm(nil)
        Self.arm(scheduler, firings, in: .milliseconds(5))
        try #require(await firings.wait(for: 2))
        #expect(firings.all.map(\.generation) == [1, 2])
    }

    @Test func theHandlerRunsOnTheLoopsExecutor() async throws {
        let (scheduler, firings) = Self.make()
        Self.arm(scheduler, firings, in: .zero)
        try #require(await firings.wait(for: 1))
        #expect(firings.all.allSatisfy { $0.onExecutor })
    }

    @Test func theHandlerRunsOnTheEventLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let eventLoop = group.next()
        let scheduler = DispatchTimerScheduler(executor: EventLoopExecutor(eventLoop: eventLoop))
        let firings = Firings()
        scheduler.setHandler { firings.record(at: Self.now(), onExecutor: eventLoop.inEventLoop) }
        Self.arm(scheduler, firings, in: .milliseconds(1))
        try #require(await firings.wait(for: 1))
        #expect(firings.all.allSatisfy { $0.onExecutor })
        scheduler.cancel()
        try await group.shutdownGracefully()
    }

    @Test func theClockIsDispatchsAndNIOsMonotonicClock() {
        let scheduler = DispatchTimerScheduler(executor: QueueExecutor(queue: DispatchQueue(label: "test.loop")))
        let before = NIODeadline.now().uptimeNanoseconds
        let now = scheduler.now().uptimeNanoseconds
        let after = DispatchTime.now().uptimeNanoseconds
        #expect(before <= now && now <= after)
    }

    @Test func cancelledOrReleasedWhileSuspendedOrArmedItDoesNotCrashAndNeverFires() async throws {
        let executor = QueueExecutor(queue: DispatchQueue(label: "test.loop"))
        let firings = Firings()
        do {
            // Released as it started: suspended, never armed.
            _ = DispatchTimerScheduler(executor: executor)
        }
        do {
            // Released armed, then suspended again.
            let scheduler = DispatchTimerScheduler(executor: executor)
            scheduler.setHandler { firings.record(at: .origin, onExecutor: true) }
            scheduler.arm(WakeUp(deadline: scheduler.now() + .seconds(600)))
            scheduler.arm(nil)
        }
        let cancelled = DispatchTimerScheduler(executor: executor)
        cancelled.setHandler { firings.record(at: .origin, onExecutor: true) }
        cancelled.arm(nil)
        cancelled.cancel()
        cancelled.cancel()
        cancelled.arm(WakeUp(deadline: cancelled.now()))
        // A timer armed after the cancelled one's deadline: its firing is the only one expected.
        let (sentinel, sentinelFirings) = Self.make()
        Self.arm(sentinel, sentinelFirings, in: .milliseconds(50))
        try #require(await sentinelFirings.wait(for: 1))
        #expect(firings.all.isEmpty)
    }

    @Test(arguments: [UInt64(1) << 62, UInt64.max - 1, UInt64.max])
    func aDeadlineBeyondTheClocksRangeWaitsForEver(nanoseconds: UInt64) {
        #expect(DispatchTimerScheduler.dispatchTime(MonotonicInstant(uptimeNanoseconds: nanoseconds)) == .distantFuture)
    }

    @Test func aDeadlineInThePastFiresAtOnce() async throws {
        let (scheduler, firings) = Self.make()
        firings.nextGeneration()
        scheduler.arm(WakeUp(deadline: .origin))
        try #require(await firings.wait(for: 1))
    }
}
