/// AWS's "standard" retry mode, as botocore's `retries/standard.py` implements it.
///
/// - Up to ``maxAttempts`` attempts (3) for throttling codes, transient codes, HTTP
///   500/502/503/504, connection errors and timeouts.
/// - Delay `random() * min(2^(attempt-1), 20)` seconds (full jitter, base 1 s).
/// - A retry quota shared by the client (one per region here): 500 tokens, a retry costs 5 (10 after a timeout); a
///   call that succeeds without retrying refunds 1, one that succeeds after retrying refunds
///   what its last retry took. When the quota is empty, failures are not retried.
/// - A server hint (`x-amz-retry-after`, `Retry-After`) moves the computed delay `t` within
///   `t…t+5 s` (and never past ``maxBackoff``), as the newer SDKs' retry behaviour does; botocore
///   1.43's default standard mode ignores it. A hint of 0 cannot make a retry immediate.
///
/// The strategy is a value holding configuration and a reference to the shared ``RetryQuota``;
/// each call keeps its own ``RetryState``, so concurrent calls need no further locking.
public struct StandardRetryStrategy: Sendable {
    /// botocore's `DEFAULT_MAX_ATTEMPTS`.
    public static let defaultMaxAttempts = 3
    /// botocore's `_MAX_BACKOFF`.
    public static let defaultMaxBackoff = Duration.seconds(20)
    /// How much longer than the computed delay a server's hint may make a retry wait.
    public static let longestHintExtension = Duration.seconds(5)
    /// Quota taken by a retry (`_RETRY_COST`).
    public static let retryCost = 5
    /// Quota taken by a retry after a timeout (`_TIMEOUT_RETRY_REQUEST`).
    public static let timeoutRetryCost = 10
    /// Quota returned by a call that succeeds first time (`_NO_RETRY_INCREMENT`).
    public static let noRetryIncrement = 1

    /// The most attempts one call makes, the first included.
    public let maxAttempts: Int
    /// The cap on any delay.
    public let maxBackoff: Duration
    /// The quota shared by every call using this strategy.
    public let quota: RetryQuota
    private let random: @Sendable () -> Double

    /// Creates a strategy.
    ///
    /// - Parameter random: a source of values in `0..<1`; inject a fixed one to make delays deterministic.
    public init(
        maxAttempts: Int = StandardRetryStrategy.defaultMaxAttempts,
        maxBackoff: Duration = StandardRetryStrategy.defaultMaxBackoff,
        quota: RetryQuota = RetryQuota(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxBackoff = maxBackoff
        self.quota = quota
        self.random = random
    }

    /// The same strategy with a full quota of its own, of the same capacity: botocore keeps one
    /// quota per client, and a botocore client serves one region, so a client of ours that
    /// serves many keeps one per region (see ``CognitoSyncClient``).
    public func withOwnQuota() -> StandardRetryStrategy {
        StandardRetryStrategy(
            maxAttempts: maxAttempts, maxBackoff: maxBackoff, quota: RetryQuota(capacity: quota.maxCapacity), random: random)
    }

    /// Decides what follows a failed attempt, advancing `state` when a retry is granted.
    public func decision(after failure: AttemptFailure, state: inout RetryState) -> RetryDecision {
        guard failure.isRetryable else {
            return .giveUp(.notRetryable)
        }
        guard state.attempt < maxAttempts else {
            return .giveUp(.maxAttemptsReached)
        }
        let cost = failure == .timeout ? Self.timeoutRetryCost : Self.retryCost
        guard quota.acquire(cost) else {
            return .giveUp(.retryQuotaExhausted)
        }
        state.acquiredCapacity = cost
        let computed = backoff(afterAttempt: state.attempt)
        let delay = failure.retryAfter.map { hint in
            min(max(hint, computed), computed + Self.longestHintExtension, max(computed, maxBackoff))
        } ?? computed
        state.attempt += 1
        return .retry(after: delay)
    }

    /// Records that the call finally succeeded, refunding quota as botocore does.
    public func recordSuccess(_ state: RetryState) {
        quota.release(state.acquiredCapacity ?? Self.noRetryIncrement)
    }

    /// `random() * min(2^(attempt-1), maxBackoff)`; a random value outside `0...1` is clamped, NaN counts as 0.
    func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 62)
        let ceiling = min(Duration.seconds(Int64(1) << exponent), maxBackoff)
        let drawn = random()
        let factor = drawn.isNaN ? 0 : min(max(drawn, 0), 1)
        return ceiling * factor
    }
}
