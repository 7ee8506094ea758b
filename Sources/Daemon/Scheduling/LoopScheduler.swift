public import Foundation

/// The clocks and the one wake-up timer the watch loop runs on.
///
/// The loop asks for a single wake-up at the time its next poll is due; nothing wakes in
/// between. Tests use a scheduler whose time moves only when the test says so.
public protocol LoopScheduler: Sendable {
    /// Monotonic time in seconds from an arbitrary origin: never jumps with the wall clock, so
    /// a clock change neither floods nor starves the polls.
    func monotonicNow() -> Double
    /// Wall-clock time, for the events (bulk publish times are wall-clock times).
    func wallNow() -> Date
    /// Calls `handler` at monotonic time `deadline` (or a little later, within a leeway), unless
    /// a wake-up already requested comes no later than that; `nil` cancels the wake-up. A
    /// wake-up may come earlier than the latest request asked for: the loop then finds nothing
    /// due and asks again.
    func wake(at deadline: Double?)
    /// What to call when the wake-up fires. Set once, before the first ``wake(at:)``.
    func setHandler(_ handler: @escaping @Sendable () async -> Void)
}
