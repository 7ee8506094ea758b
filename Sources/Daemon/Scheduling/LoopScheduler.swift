public import Foundation
public import Model

/// The clocks and the one wake-up timer the watch loop runs on.
///
/// The loop asks for a single wake-up at the time its next poll (or watchdog ping) is due;
/// nothing wakes in between, and nothing at all when nothing is due. Which deadline to arm, and
/// whether the armed one still serves, is the loop's decision (``LoopStateMachine``): the
/// scheduler only does what it is told. Tests use a scheduler whose time moves only when the
/// test says so.
public protocol LoopScheduler: Sendable {
    /// The monotonic clock (`CLOCK_MONOTONIC` in the daemon).
    func now() -> MonotonicInstant
    /// Wall-clock time, for the events (bulk publish times are wall-clock times).
    func wallNow() -> Date
    /// Replaces the armed wake-up with `wakeUp`, or suspends the timer when it is `nil`.
    func arm(_ wakeUp: WakeUp?)
    /// What to call when the wake-up fires. Set once, before the first ``arm(_:)``.
    func setHandler(_ handler: @escaping @Sendable () async -> Void)
}

/// When the loop's timer is to fire: at `deadline`, or up to `leeway` later, so that the
/// system can fold the wake-up into one it makes anyway.
public struct WakeUp: Sendable, Equatable {
    public var deadline: MonotonicInstant
    public var leeway: Duration

    public init(deadline: MonotonicInstant, leeway: Duration = .zero) {
        self.deadline = deadline
        self.leeway = leeway
    }
}
