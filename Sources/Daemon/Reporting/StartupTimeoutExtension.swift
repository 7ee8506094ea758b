public import Model
/// Asks systemd for more time while a slow start-up goes on (`EXTEND_TIMEOUT_USEC=`).
///
/// Restoring the state of tens of thousands of pools, or a state directory on a slow disk, can
/// take longer than the unit's `TimeoutStartSec=`. Run ``keepExtending()`` in a task while
/// start-up runs and cancel it at `READY=1`: after `interval` it extends the timeout by
/// `grant` and says so in `STATUS=`, again every `interval`, but for no longer than `limit`
/// in all, so a start-up that hangs still fails in the end.
public struct StartupTimeoutExtension: Sendable {
    public var interval: Duration
    public var grant: Duration
    public var limit: Duration
    private let notifier: any ServiceNotifier
    private let sleep: Sleep

    /// - Parameter sleep: waits for a duration; tests pass one that does not really wait.
    public init(
        notifier: any ServiceNotifier,
        interval: Duration = .seconds(10), grant: Duration = .seconds(30), limit: Duration = .seconds(600),
        sleep: @escaping Sleep = taskSleep
    ) {
        self.notifier = notifier
        self.interval = interval
        self.grant = grant
        self.limit = limit
        self.sleep = sleep
    }

    /// Returns when cancelled, or once `limit` has been granted.
    public func keepExtending(status: String = "starting: restoring the saved state") async {
        var waited = Duration.zero
        while waited < limit {
            do { try await sleep(interval) } catch { return }
            if Task.isCancelled { return }
            waited += interval
            notifier.notify([.extendTimeout(microseconds: grant.microseconds), .status(status)])
        }
    }
}
