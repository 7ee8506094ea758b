import Daemon
import Foundation
import Synchronization

/// A scheduler whose time moves only when the test says so; records every wake-up request.
final class ManualScheduler: LoopScheduler {
    private struct State {
        var now: Double = 1000
        var wallOffset: Double = 1_800_000_000 - 1000
        var deadline: Double?
        var handler: (@Sendable () async -> Void)?
        var wakeRequests = 0
    }

    private let state = Mutex(State())

    func monotonicNow() -> Double { state.withLock { $0.now } }
    func wallNow() -> Date { state.withLock { Date(timeIntervalSince1970: $0.now + $0.wallOffset) } }

    func wake(at deadline: Double?) {
        state.withLock {
            $0.deadline = deadline
            $0.wakeRequests += 1
        }
    }

    func setHandler(_ handler: @escaping @Sendable () async -> Void) {
        state.withLock { $0.handler = handler }
    }

    /// The wake-up the loop asked for, if any.
    var deadline: Double? { state.withLock { $0.deadline } }
    var wakeRequests: Int { state.withLock { $0.wakeRequests } }

    /// Moves time forward by `seconds`, firing the wake-up each time it falls due; after each
    /// firing, `settle` lets the work it started finish before time moves on.
    func advance(by seconds: Double, settle: () async -> Void) async {
        let target = monotonicNow() + seconds
        while true {
            let next: (@Sendable () async -> Void)? = state.withLock { state in
                guard let deadline = state.deadline, deadline <= target, let handler = state.handler else { return nil }
                state.now = max(state.now, deadline)
                state.deadline = nil
                return handler
            }
            guard let next else { break }
            await next()
            await settle()
        }
        state.withLock { $0.now = target }
    }

    /// Moves the wall clock alone, as an NTP step or an operator would.
    func jumpWallClock(by seconds: Double) {
        state.withLock { $0.wallOffset += seconds }
    }
}
