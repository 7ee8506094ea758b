import Daemon
import Model
import NIOCore
import NIOPosix

/// One event loop for the HTTP client's connections and the watch loop, and the loop's one
/// Dispatch timer, as the daemon and the demo run them: a poll is one thread's work (see
/// `EventLoopExecutor`), and each wake-up of the timer one hand-off onto that thread (see
/// `DispatchTimerScheduler`).
struct LoopEventLoop {
    /// Hand it to the HTTP client; shut it down after the client with ``shutdown()``.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let executor: EventLoopExecutor
    let scheduler: DispatchTimerScheduler
    /// Waits on the event loop's timer: for everything in the daemon that waits (retries, the
    /// status file's refresh, the start-up extension), so nothing waits on a global queue.
    let sleep: Sleep

    init() {
        let eventLoop = group.next()
        executor = EventLoopExecutor(eventLoop: eventLoop)
        scheduler = DispatchTimerScheduler(executor: executor)
        sleep = EventLoopSleep.on(eventLoop)
    }

    func shutdown() async {
        // Nothing may hand work to the event loop once it is gone.
        scheduler.cancel()
        try? await group.shutdownGracefully()
    }
}
