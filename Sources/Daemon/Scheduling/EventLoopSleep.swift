public import Model
public import NIOCore

/// Sleeps on a NIO event loop's timer: the daemon's ``Sleep``.
///
/// The event loop already wakes for the polls' connections; a timer of its own costs no thread
/// and, unlike `Task.sleep`, no job on libdispatch's global queues (see ``Sleep``).
public enum EventLoopSleep {
    /// A ``Sleep`` on `eventLoop`.
    public static func on(_ eventLoop: any EventLoop) -> Sleep {
        { duration in try await sleep(for: duration, on: eventLoop) }
    }

    /// Waits `duration` on `eventLoop`; throws `CancellationError` when the task is cancelled.
    public static func sleep(for duration: Duration, on eventLoop: any EventLoop) async throws {
        try Task.checkCancellation()
        guard duration > .zero else { return }
        let scheduled = eventLoop.scheduleTask(in: TimeAmount(duration)) {}
        do {
            try await withTaskCancellationHandler {
                try await scheduled.futureResult.get()
            } onCancel: {
                scheduled.cancel()
            }
        } catch {
            // A cancelled scheduled task fails with EventLoopError.cancelled; so does a loop
            // that is shutting down. Either way the wait is over early.
            throw CancellationError()
        }
    }
}
