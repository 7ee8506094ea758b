/// When a failed hook runs again: after the first failure ``firstDelay``, then twice the wait
/// before, never more than ``maximumDelay``, for ``attempts`` runs in all.
public struct HookRetrySchedule: Sendable, Equatable {
    public var attempts: Int
    public var firstDelay: Duration
    public var maximumDelay: Duration

    public init(attempts: Int, firstDelay: Duration, maximumDelay: Duration) {
        self.attempts = attempts
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait after run number `attempt` (1 for the first) failed, or nil when that was the
    /// last run allowed.
    public func delay(afterFailedAttempt attempt: Int) -> Duration? {
        guard attempt >= 1, attempt < attempts else { return nil }
        // Doubling from the first delay; the exponent is capped so that it cannot overflow.
        let grown = firstDelay * (1 << min(attempt - 1, 30))
        return min(grown, maximumDelay)
    }

    /// Every wait a hook that always fails goes through, in order.
    public var delays: [Duration] {
        (1..<max(attempts, 1)).compactMap { delay(afterFailedAttempt: $0) }
    }
}
