/// Waits for a duration, or throws when the task is cancelled first.
///
/// Whatever waits between retries, refreshes or writes takes one of these instead of calling
/// `Task.sleep`: tests pass one that does not really wait, and the daemon one that waits on its
/// event loop's timer (``Task.sleep`` on Linux waits on a Dispatch timer whose handler runs on a
/// global queue, and the first such job starts libdispatch's thread-pool monitor, which then
/// wakes the process every second for good).
public typealias Sleep = @Sendable (Duration) async throws -> Void

/// The default ``Sleep``: Swift's own.
public let taskSleep: Sleep = { try await Task.sleep(for: $0) }
