public import NIOCore

/// A ``LoopExecutor`` on the NIO event loop that owns the HTTP client's connections.
///
/// A poll is then one thread's work from start to end, as a request made with curl is: the
/// loop picks the pool, signs the request and hands it to the connection, the response is read,
/// decoded and run through the state machine, all on the event loop, with no hand-off to another
/// thread and back (which cost more than the rest of a poll together; see BENCHMARKS.md).
///
/// Everything the loop does is then on the event loop, so it must not block it: the one blocking
/// work of a poll, reporting its events and saving a changed state (a small file and an fsync),
/// runs on the ``FileWorker``'s queue instead, once per change, not per poll.
public final class EventLoopExecutor: LoopExecutor {
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // From the event loop's own thread this only appends to its task queue: no wake-up.
        eventLoop.execute {
            job.runSynchronously(isolatedTo: self.asUnownedSerialExecutor(), taskExecutor: self.asUnownedTaskExecutor())
        }
    }

    public func checkIsolated() {
        eventLoop.preconditionInEventLoop()
    }
}
