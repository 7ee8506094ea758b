public import Foundation
public import NIOCore
import Synchronization

/// A clock that moves only when told to, for tests.
///
/// Answers held by a `slow` fault wait here until ``advance(by:)`` or ``set(to:)`` passes their
/// deadline; ``waitForSleepers(_:)`` lets a test know an answer is being held without sleeping.
public final class ManualClock: SimulatorClock {
    private struct Sleeper {
        var deadline: Date
        var promise: EventLoopPromise<Void>
    }

    private struct SleeperCountWaiter {
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var countWaiters: [SleeperCountWaiter] = []
    }

    private let state: Mutex<State>

    /// A clock reading `start` until moved.
    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date {
        state.withLock { $0.now }
    }

    /// Moves time forward and releases every held answer whose deadline has come.
    public func advance(by seconds: TimeInterval) {
        let now = state.withLock { $0.now }
        set(to: now.addingTimeInterval(max(0, seconds)))
    }

    /// Sets the time (it may go backwards, to test clock skew) and releases due answers.
    public func set(to date: Date) {
        let due: [Sleeper] = state.withLock { state in
            state.now = date
            let due = state.sleepers.filter { $0.deadline <= date }
            state.sleepers.removeAll { $0.deadline <= date }
            return due
        }
        for sleeper in due {
            sleeper.promise.succeed()
        }
    }

    /// How many answers are currently held.
    public var sleeperCount: Int {
        state.withLock { $0.sleepers.count }
    }

    /// Returns once at least `count` answers are held.
    public func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.countWaiters.append(SleeperCountWaiter(count: count, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    public func wait(until deadline: Date, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let ready: [CheckedContinuation<Void, Never>]? = state.withLock { state in
            if deadline <= state.now { return nil }
            state.sleepers.append(Sleeper(deadline: deadline, promise: promise))
            let count = state.sleepers.count
            let ready = state.countWaiters.filter { $0.count <= count }.map(\.continuation)
            state.countWaiters.removeAll { $0.count <= count }
            return ready
        }
        guard let ready else {
            promise.succeed()
            return promise.futureResult
        }
        for continuation in ready {
            continuation.resume()
        }
        return promise.futureResult
    }
}
