/// When a pool is polled next: a pure function of its state, its settings and a random source.
///
/// A fast cadence while a run is IN_PROGRESS (or the status is unknown), slower ones when idle
/// or finished. Jitter only ever brings a poll earlier, so an IN_PROGRESS pool is never polled
/// later than its cadence promises. After errors: exponential backoff with full jitter, never
/// sooner than the server's retry-after hint (also for a broken way to the service, a certificate
/// or a proxy, which a proxy coming back or a fix may heal any minute); lasting errors of the
/// service are retried at the idle cadence, since they heal only when someone acts.
public enum PollSchedule {
    /// The shortest wait between two polls of one pool, whatever the random source says.
    public static let minimumDelay: Duration = .seconds(1)

    /// The delay before the next poll of a pool in `state`; `retryAfter` is the hint the last
    /// failed poll carried, if any.
    public static func delay(
        after state: PoolState,
        settings: PoolSettings,
        retryAfter: Duration? = nil,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        if let failure = state.failure {
            return errorDelay(failure: failure, settings: settings, retryAfter: retryAfter, using: &random)
        }
        let interval = cadence(for: state.lastStatus, settings: settings)
        let early = interval * (settings.jitter * random.nextUnit())
        return max(minimumDelay, interval - early)
    }

    /// The nominal interval for a pool last seen with `status`.
    public static func cadence(for status: BulkPublishStatus?, settings: PoolSettings) -> Duration {
        switch status {
        case nil, .inProgress, .unrecognized: settings.inProgressInterval
        case .notStarted: settings.idleInterval
        case .succeeded, .failed: settings.finishedInterval
        }
    }

    /// The delay after `failure.consecutiveFailures` errors in a row, with an optional hint from
    /// the server of how long to wait.
    ///
    /// The hint is honoured up to `errorBackoffMax`, the longest a pool waits after an error: a
    /// service (or anything between it and us) answering `Retry-After: 99999999999` must not
    /// silence a pool for millennia.
    public static func errorDelay(
        failure: FailureRecord,
        settings: PoolSettings,
        retryAfter: Duration? = nil,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        let delay = failure.kind == .lasting
            ? cadence(for: .notStarted, settings: settings)
            : backoff(afterFailures: failure.consecutiveFailures, settings: settings, using: &random)
        return max(minimumDelay, delay, min(retryAfter ?? .zero, settings.errorBackoffMax))
    }

    /// Exponential backoff with full jitter after `failures` failures in a row: uniform in
    /// [0, min(errorBackoffMax, errorBackoffBase × 2^(failures-1))], never under ``minimumDelay``.
    public static func backoff(afterFailures failures: Int, settings: PoolSettings, using random: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let ceiling = min(settings.errorBackoffMax, settings.errorBackoffBase * (1 << exponent))
        return max(minimumDelay, ceiling * random.nextUnit())
    }
}
