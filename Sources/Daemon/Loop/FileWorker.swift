import Dispatch

/// One serial queue for the loop's blocking file work: reporting a pool's events (the hook
/// spool writes and syncs a file), saving its state (a write and an fsync), reading the saved
/// states back. Off the loop's thread, so a slow disk delays the pools whose state changed and
/// nothing else; serial, so the jobs run one at a time in the order given. A queue rather than
/// a thread of its own: it costs nothing while no state changes, and needs no shutdown.
final class FileWorker: Sendable {
    private let queue = DispatchQueue(label: "cognito-sync-watcher.files")

    /// Runs `body` on the queue and returns its result. Once started, a job runs to its end
    /// even if the caller is cancelled: a state file is written whole or not at all.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// Returns once every job queued before it has run.
    func drain() async {
        await run {}
    }
}
