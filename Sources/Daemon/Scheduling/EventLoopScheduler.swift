public import Foundation
public import NIOCore
import Synchronization

/// A ``LoopScheduler`` on a NIO event loop's timer: the loop's wake-up is a task scheduled on
/// the event loop that also runs the loop and its connections (see ``EventLoopExecutor``).
///
/// Arming and firing cost no thread hand-off: the event loop keeps its scheduled tasks in a heap
/// and sleeps in `epoll_wait` until the earliest is due (re-setting its `timerfd` when that
/// changes, its only system call for timing). The timer is
/// re-armed only when the new deadline is earlier than the one already set; a wake-up that
/// comes early finds nothing due and asks again.
public final class EventLoopScheduler: LoopScheduler {
    private struct Armed {
        var task: Scheduled<Void>?
        var deadline: Double?
    }

    private let eventLoop: any EventLoop
    private let executor: any LoopExecutor
    private let armed = Mutex(Armed())
    private let handler = Mutex<(@Sendable () async -> Void)?>(nil)

    /// - Parameters:
    ///   - eventLoop: where the timer runs.
    ///   - executor: where the handler runs (the loop's executor, on the same event loop).
    public init(eventLoop: any EventLoop, executor: any LoopExecutor) {
        self.eventLoop = eventLoop
        self.executor = executor
    }

    /// The event loop's clock (the monotonic clock; a test's embedded loop has its own).
    public func monotonicNow() -> Double {
        Double(eventLoop.now.uptimeNanoseconds) / 1e9
    }

    public func wallNow() -> Date { Date() }

    public func setHandler(_ handler: @escaping @Sendable () async -> Void) {
        self.handler.withLock { $0 = handler }
    }

    public func wake(at deadline: Double?) {
        armed.withLock { armed in
            guard let deadline else {
                armed.task?.cancel()
                armed = Armed()
                return
            }
            if let current = armed.deadline, current <= deadline { return }
            armed.task?.cancel()
            // A deadline beyond what UInt64 nanoseconds hold (centuries away) waits for ever.
            let nanoseconds = max(0, deadline) * 1e9
            let at: NIODeadline = nanoseconds < 9e18 ? .uptimeNanoseconds(UInt64(nanoseconds)) : .distantFuture
            armed.task = eventLoop.scheduleTask(deadline: at) { [weak self] in self?.fire() }
            armed.deadline = deadline
        }
    }

    private func fire() {
        armed.withLock { $0 = Armed() }
        guard let action = handler.withLock({ $0 }) else { return }
        Task(executorPreference: executor) { await action() }
    }
}
