import Daemon
import NIOCore
import NIOPosix

/// One event loop for the HTTP client's connections and the watch loop, as the daemon and the
/// demo run them: a poll is one thread's work (see `EventLoopExecutor`).
struct LoopEventLoop {
    /// Hand it to the HTTP client; shut it down after the client with ``shutdown()``.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let executor: EventLoopExecutor
    let scheduler: EventLoopScheduler

    init() {
        let eventLoop = group.next()
        executor = EventLoopExecutor(eventLoop: eventLoop)
        scheduler = EventLoopScheduler(eventLoop: eventLoop, executor: executor)
    }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
