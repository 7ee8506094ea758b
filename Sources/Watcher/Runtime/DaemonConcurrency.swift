import NIOCore
import NIOPosix

/// Where the daemon's tasks run: on NIO's threads, not on libdispatch's global queues.
///
/// On Linux, Swift's default executor runs tasks on libdispatch's global queues, and the first
/// job on one starts libdispatch's thread-pool monitor: a timer on its manager thread that
/// fires every second for the rest of the process's life, whether anything is queued or not
/// (60 of the 64–68 wake-ups a minute of an idle daemon; BENCHMARKS.md, "Idle wake-ups").
/// With the tasks on NIO's event loops and every wait on an event loop's timer (``Sleep``), an
/// idle daemon wakes for its polls, its watchdog pings and the status file alone. The loop's
/// own timer stays a Dispatch timer: it runs on a serial queue of its own, whose worker is not
/// watched.
enum DaemonConcurrency {
    /// Hands Swift's global executor to NIO's event loops; call it before the first task.
    /// - Returns: false when another executor was installed first (the tasks then run where
    ///   that one puts them; only the idle wake-ups differ).
    @discardableResult
    static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
