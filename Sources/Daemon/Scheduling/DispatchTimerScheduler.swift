public import Dispatch
public import Foundation
public import Model
import Synchronization

/// A ``LoopScheduler`` on one `DispatchSourceTimer`: the daemon's only wake-up for its loop.
///
/// The timer lives on a serial queue of its own. It is armed with the loop's leeway (libdispatch
/// on Linux sets its `timerfd` for the deadline itself and keeps the leeway for platforms that
/// coalesce; the loop is what starts every poll due within it in the same wake-up). When nothing
/// is due the source is suspended rather than armed for a far date. The handler does the least
/// it can off the loop's thread: one hand-off onto the loop's executor (for the daemon, the event
/// loop that also owns the HTTP client's connections), where the loop and every poll it starts
/// run.
///
/// Which deadline to arm, and with what leeway, is the loop's decision (``LoopStateMachine``);
/// this type only carries it out.
public final class DispatchTimerScheduler: LoopScheduler {
    private struct State {
        /// Touched only under the lock: Dispatch's source types are not `Sendable`.
        let timer: any DispatchSourceTimer
        /// The source is suspended (nothing armed): suspend and resume must stay balanced, and
        /// a source may only be released resumed.
        var suspended = true
        var cancelled = false
        var handler: (@Sendable () async -> Void)?
    }

    private let executor: any LoopExecutor
    private let state: Mutex<State>

    /// - Parameters:
    ///   - executor: where the handler runs (the loop's executor).
    ///   - label: the label of the timer's serial queue, as thread dumps show it.
    public init(executor: any LoopExecutor, label: String = "cognito-sync-watcher.loop-timer") {
        self.executor = executor
        // A queue of our own targets an overcommit root queue: its thread is not one of the
        // global queues' workers, whose first start would wake libdispatch's pool monitor once
        // a second for the rest of the process's life (BENCHMARKS.md, "Idle wake-ups: the pool
        // monitor").
        state = Mutex(State(timer: DispatchSource.makeTimerSource(queue: DispatchQueue(label: label))))
        state.withLock { state in
            state.timer.setEventHandler { [weak self] in self?.fire() }
            // Activated once, then suspended until the first arm: an inactive source may be
            // neither suspended nor released, so "inactive" is never a state of ours.
            state.timer.activate()
            state.timer.suspend()
        }
    }

    deinit {
        cancel()
    }

    /// `CLOCK_MONOTONIC`: the clock `DispatchTime` counts on Linux, and NIO's deadlines too.
    public func now() -> MonotonicInstant {
        MonotonicInstant(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds)
    }

    public func wallNow() -> Date { Date() }

    public func setHandler(_ handler: @escaping @Sendable () async -> Void) {
        state.withLock { $0.handler = handler }
    }

    public func arm(_ wakeUp: WakeUp?) {
        state.withLock { state in
            guard !state.cancelled else { return }
            guard let wakeUp else {
                // Whatever was armed and not yet delivered is dropped: a new schedule clears
                // the events a suspended source gathered under the old one.
                if !state.suspended {
                    state.timer.suspend()
                    state.suspended = true
                }
                return
            }
            state.timer.schedule(deadline: Self.dispatchTime(wakeUp.deadline), repeating: .never, leeway: Self.interval(wakeUp.leeway))
            if state.suspended {
                state.timer.resume()
                state.suspended = false
            }
        }
    }

    /// Stops the timer for good: nothing fires after it, and ``arm(_:)`` does nothing.
    /// Called by `deinit`; calling it again does nothing.
    public func cancel() {
        state.withLock { state in
            guard !state.cancelled else { return }
            state.cancelled = true
            // Resumed first: libdispatch refuses to release a suspended source. A wake-up
            // delivered in between finds the scheduler cancelled and does nothing.
            if state.suspended {
                state.timer.resume()
                state.suspended = false
            }
            state.timer.cancel()
        }
    }

    /// On the timer's queue: one hand-off onto the loop's executor, nothing else.
    private func fire() {
        guard let handler = state.withLock({ $0.cancelled ? nil : $0.handler }) else { return }
        Task(executorPreference: executor) { await handler() }
    }

    /// `DispatchTime` reads its two top bits as the clock (wall clock, boot time): an uptime
    /// that reaches them (over 146 years) waits for ever, as the deadline means.
    public static func dispatchTime(_ instant: MonotonicInstant) -> DispatchTime {
        let nanoseconds = instant.uptimeNanoseconds
        return nanoseconds < 1 << 62 ? DispatchTime(uptimeNanoseconds: nanoseconds) : .distantFuture
    }

    /// The leeway in nanoseconds, between none and an hour (the loop asks for 500 ms at most).
    static func interval(_ leeway: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = min(max(leeway, .zero), .seconds(3600)).components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
