/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Wait this long, then send the next attempt.
    case retry(after: Duration)
    /// Stop and report the failure.
    case giveUp(GiveUpReason)

    /// Why no further attempt is made; worth logging next to the error.
    public enum GiveUpReason: Sendable, Equatable {
        /// The failure is not one that retrying can fix.
        case notRetryable
        /// The call used all its attempts.
        case maxAttemptsReached
        /// Too many recent retries across the client drained the retry quota.
        case retryQuotaExhausted
    }
}

/// The retry bookkeeping of one call: which attempt is in flight and what quota its last retry took.
public struct RetryState: Sendable, Equatable {
    /// The attempt being made, starting at 1.
    public internal(set) var attempt: Int = 1
    /// The quota taken by the most recent retry; refunded if the call then succeeds.
    var acquiredCapacity: Int?

    /// The state of a call before its first attempt.
    public init() {}
}
