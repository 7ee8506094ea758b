public import Dispatch
public import Foundation
import Synchronization

/// A ``LoopScheduler`` on a `DispatchSourceTimer`: one timer, re-armed for the next due poll,
/// with leeway so the kernel can coalesce the wake-up with others.
public final class DispatchLoopScheduler: LoopScheduler {
    /// Dispatch sources are not `Sendable`; the lock makes every use of this one exclusive.
    private let timer: Mutex<any DispatchSourceTimer>
    private let handler = Mutex<(@Sendable () async -> Void)?>(nil)

    /// - Parameter queue: where the timer fires; the loop's own serial queue.
    public init(queue: DispatchQueue) {
        timer = Mutex(DispatchSource.makeTimerSource(flags: [], queue: queue))
        timer.withLock { source in
            source.setEventHandler { [weak self] in
                guard let action = self?.handler.withLock({ $0 }) else { return }
                Task { await action() }
            }
            source.schedule(deadline: .distantFuture)
            source.activate()
        }
    }

    deinit {
        timer.withLock { $0.cancel() }
    }

    public func monotonicNow() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    public func wallNow() -> Date { Date() }

    public func setHandler(_ handler: @escaping @Sendable () async -> Void) {
        self.handler.withLock { $0 = handler }
    }

    public func wake(at deadline: Double?) {
        guard let deadline else {
            timer.withLock { $0.schedule(deadline: .distantFuture) }
            return
        }
        let delay = max(0, deadline - monotonicNow())
        // Up to 5% late, at most a second: invisible next to poll cadences of seconds to
        // minutes, and enough for the kernel to batch timers.
        let leeway = DispatchTimeInterval.milliseconds(Int(min(1000, delay * 50)))
        timer.withLock { $0.schedule(deadline: .now() + .nanoseconds(Int(delay * 1e9)), leeway: leeway) }
    }
}
