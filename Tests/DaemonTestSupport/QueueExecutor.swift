public import Daemon
public import Dispatch

/// A ``LoopExecutor`` on one serial `DispatchQueue`, for a loop that does not share a thread
/// with its HTTP client (tests, fakes).
///
/// One serial queue owns all of the loop's mutable state while the compiler still checks that
/// nothing touches that state from elsewhere.
public final class QueueExecutor: LoopExecutor {
    public let queue: DispatchQueue

    public init(queue: DispatchQueue) {
        self.queue = queue
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(isolatedTo: self.asUnownedSerialExecutor(), taskExecutor: self.asUnownedTaskExecutor())
        }
    }

    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
