public import Dispatch

/// Runs an actor's jobs on one serial `DispatchQueue`.
///
/// The watch loop is an actor on this executor, so one serial queue owns all mutable state
/// (the queue the Dispatch timer fires on too) while the compiler still checks that nothing
/// touches that state from elsewhere.
public final class QueueExecutor: SerialExecutor {
    public let queue: DispatchQueue

    public init(queue: DispatchQueue) {
        self.queue = queue
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedSerialExecutor())
        }
    }

    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
