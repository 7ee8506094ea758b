import Daemon
import Foundation
import Simulator
import Synchronization

/// A loop scheduler whose time moves only when the test says so, in step with the simulator's
/// clock: the daemon and the service see the same seconds pass.
///
/// The daemon's wall clock is the service's plus a skew the test may change, as an NTP step or
/// an operator would; its monotonic clock never jumps.
final class LockstepScheduler: LoopScheduler {
    private struct State {
        var now: Double = 0
        var skew: TimeInterval = 0
        var deadline: Double?
        var handler: (@Sendable () async -> Void)?
    }

    private let state = Mutex(State())
    /// The simulated service's clock; it moves whenever the daemon's monotonic clock moves.
    let serviceClock: ManualClock

    init(serviceClock: ManualClock) {
        self.serviceClock = serviceClock
    }

    /// Seconds since the test started; the simulator's timelines count from the same moment.
    func monotonicNow() -> Double { state.withLock { $0.now } }

    func wallNow() -> Date {
        let skew = state.withLock { $0.skew }
        return serviceClock.now().addingTimeInterval(skew)
    }

    func wake(at deadline: Double?) {
        state.withLock { $0.deadline = deadline }
    }

    func setHandler(_ handler: @escaping @Sendable () async -> Void) {
        state.withLock { $0.handler = handler }
    }

    /// Moves both clocks to `target` seconds, firing the loop's wake-up each time it falls due;
    /// after each firing, `settle` lets the polls it started finish before time moves on.
    func advance(to target: Double, settle: () async -> Void) async {
        while true {
            let next: (step: Double, handler: @Sendable () async -> Void)? = state.withLock { state in
                guard let deadline = state.deadline, deadline <= target, let handler = state.handler else { return nil }
                let step = max(0, deadline - state.now)
                state.now += step
                state.deadline = nil
                return (step, handler)
            }
            guard let next else { break }
            serviceClock.advance(by: next.step)
            await next.handler()
            await settle()
        }
        let step = state.withLock { state in
            let step = max(0, target - state.now)
            state.now += step
            return step
        }
        serviceClock.advance(by: step)
    }

    /// Steps the daemon's wall clock alone; the service's clock and the monotonic clock go on.
    func skewWallClock(by seconds: TimeInterval) {
        state.withLock { $0.skew += seconds }
    }
}
