public import Foundation
public import NIOCore

/// The wall clock, for the command-line simulator.
public struct SystemClock: SimulatorClock {
    public init() {}

    public func now() -> Date { Date() }

    /// Schedules on the event loop; nothing blocks while the answer is held.
    public func wait(until deadline: Date, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return eventLoop.makeSucceededVoidFuture() }
        let nanoseconds = Int64(min(seconds, 86_400) * 1_000_000_000)
        return eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {}.futureResult
    }
}
