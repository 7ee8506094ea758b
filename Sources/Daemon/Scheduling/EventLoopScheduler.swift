public import Foundation
public import Model
public import NIOCore
import Synchronization

/// A ``LoopScheduler`` on a NIO event loop's timer: the loop's wake-up is a task scheduled on
/// the event loop that also runs the loop and its connections (see ``EventLoopExecutor``).
///
/// Arming and firing cost no thread hand-off: the event loop keeps its scheduled tasks in a heap
/// and sleeps in `epoll_wait` until the earliest is due (re-setting its `timerfd` when that
/// changes, its only system call for timing). The leeway is not
/// used: the event loop's timer has none.
public final class EventLoopScheduler: LoopScheduler {
    private let eventLoop: any EventLoop
    private let executor: any LoopExecutor
    private let armed = Mutex<Scheduled<Void>?>(nil)
    private let handler = Mutex<(@Sendable () async -> Void)?>(nil)

    /// - Parameters:
    ///   - eventLoop: where the timer runs.
    ///   - executor: where the handler runs (the loop's executor, on the same event loop).
    public init(eventLoop: any EventLoop, executor: any LoopExecutor) {
        self.eventLoop = eventLoop
        self.executor = executor
    }

    /// The event loop's clock (the monotonic clock; a test's embedded loop has its own).
    public func now() -> MonotonicInstant {
        MonotonicInstant(uptimeNanoseconds: eventLoop.now.uptimeNanoseconds)
    }

    public func wallNow() -> Date { Date() }

    public func setHandler(_ handler: @escaping @Sendable () async -> Void) {
        self.handler.withLock { $0 = handler }
    }

    public func arm(_ wakeUp: WakeUp?) {
        armed.withLock { armed in
            armed?.cancel()
            armed = wakeUp.map { wakeUp in
                eventLoop.scheduleTask(deadline: .uptimeNanoseconds(wakeUp.deadline.uptimeNanoseconds)) { [weak self] in self?.fire() }
            }
        }
    }

    private func fire() {
        armed.withLock { $0 = nil }
        guard let action = handler.withLock({ $0 }) else { return }
        Task(executorPreference: executor) { await action() }
    }
}
