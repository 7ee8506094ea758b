public import Daemon
public import Foundation
public import Model
import Synchronization

/// A scheduler whose time moves only when the test says so; records every wake-up request.
///
/// `onAdvance` runs with every step the clock takes, so a simulated service's clock can move in
/// step with it (the fault tests); the wall clock moves with the monotonic one unless
/// ``jumpWallClock(by:)`` steps it alone.
public final class ManualScheduler: LoopScheduler {
    private struct State {
        var now: MonotonicInstant
        var wall: Date
        var armed: WakeUp?
        var handler: (@Sendable () async -> Void)?
        var armRequests = 0
    }

    private let state: Mutex<State>
    private let onAdvance: @Sendable (Duration) -> Void

    public init(
        start: MonotonicInstant = MonotonicInstant(sinceOrigin: .seconds(1000)),
        wallStart: Date = Date(timeIntervalSince1970: 1_800_000_000),
        onAdvance: @escaping @Sendable (Duration) -> Void = { _ in }
    ) {
        state = Mutex(State(now: start, wall: wallStart))
        self.onAdvance = onAdvance
    }

    public func now() -> MonotonicInstant { state.withLock { $0.now } }
    public func wallNow() -> Date { state.withLock { $0.wall } }

    public func arm(_ wakeUp: WakeUp?) {
        state.withLock {
            $0.armed = wakeUp
            $0.armRequests += 1
        }
    }

    public func setHandler(_ handler: @escaping @Sendable () async -> Void) {
        state.withLock { $0.handler = handler }
    }

    /// The wake-up the loop asked for, if any.
    public var armed: WakeUp? { state.withLock { $0.armed } }
    /// The deadline of the wake-up the loop asked for, if any.
    public var deadline: MonotonicInstant? { armed?.deadline }
    /// How often the loop set or suspended the timer.
    public var armRequests: Int { state.withLock { $0.armRequests } }

    /// Moves time forward by `duration`, firing the wake-up each time it falls due (at its
    /// deadline: the leeway is the system's to use, and a test wants the earliest moment);
    /// after each firing, `settle` lets the work it started finish before time moves on.
    public func advance(by duration: Duration, settle: () async -> Void) async {
        await advance(to: now() + duration, settle: settle)
    }

    /// Moves time forward to `target` (see ``advance(by:settle:)``).
    public func advance(to target: MonotonicInstant, settle: () async -> Void) async {
        while true {
            let next: (step: Duration, handler: @Sendable () async -> Void)? = state.withLock { state in
                guard let armed = state.armed, armed.deadline <= target, let handler = state.handler else { return nil }
                let step = max(.zero, armed.deadline - state.now)
                state.now += step
                state.wall += step.seconds
                state.armed = nil
                return (step, handler)
            }
            guard let next else { break }
            onAdvance(next.step)
            await next.handler()
            await settle()
        }
        let step = state.withLock { state in
            let step = max(.zero, target - state.now)
            state.now += step
            state.wall += step.seconds
            return step
        }
        onAdvance(step)
    }

    /// Moves the wall clock alone, as an NTP step or an operator would.
    public func jumpWallClock(by seconds: TimeInterval) {
        state.withLock { $0.wall += seconds }
    }
}
