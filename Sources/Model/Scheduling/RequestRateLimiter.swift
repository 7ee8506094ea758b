/// A token bucket: at most `rate` requests per second on average, bursts up to `burst`.
///
/// Time is the caller's monotonic clock, handed in; the limiter only does arithmetic, so tests
/// drive it without a clock.
public struct RequestRateLimiter: Sendable, Equatable {
    public let rate: Double
    public let burst: Double
    private var tokens: Double
    private var updatedAt: MonotonicInstant?

    public init(rate: Double, burst: Double? = nil) {
        self.rate = rate
        // A burst of one second's worth (at least one request) lets a start-up spread out
        // smoothly without exceeding the configured rate over any second.
        self.burst = max(1, burst ?? rate)
        self.tokens = self.burst
    }

    /// Takes a token if one is available at `now`; otherwise returns how long to wait for one.
    public mutating func acquire(at now: MonotonicInstant) -> Duration? {
        refill(at: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return .seconds(clamping: (1 - tokens) / rate)
    }

    private mutating func refill(at now: MonotonicInstant) {
        if let updatedAt, now > updatedAt {
            tokens = min(burst, tokens + (now - updatedAt).seconds * rate)
        }
        updatedAt = max(updatedAt ?? now, now)
    }
}

/// Slows a whole region down when any of its pools is throttled: throttling is per account and
/// region, so polling the region's other pools at full speed would only be throttled too.
public struct RegionThrottle: Sendable, Equatable {
    private var pausedUntil: [String: MonotonicInstant] = [:]
    private var strikes: [String: Int] = [:]
    /// The first pause after throttling; it doubles while throttling goes on.
    public let basePause: Duration
    public let maximumPause: Duration
    /// The longest pause a hint from the service may ask for; a longer hint is cut to this.
    public let longestHintedPause: Duration

    public init(basePause: Duration = .seconds(1), maximumPause: Duration = .seconds(60), longestHintedPause: Duration = .seconds(300)) {
        self.basePause = basePause
        self.maximumPause = maximumPause
        self.longestHintedPause = longestHintedPause
    }

    /// Records a throttled response in `region` at `now`; `retryAfter` is the service's hint.
    public mutating func recordThrottling(in region: String, at now: MonotonicInstant, retryAfter: Duration? = nil) {
        let strike = (strikes[region] ?? 0) + 1
        strikes[region] = strike
        let hinted = min(retryAfter ?? .zero, longestHintedPause)
        let pause = max(min(maximumPause, basePause * (1 << min(strike - 1, 20))), hinted)
        pausedUntil[region] = max(pausedUntil[region] ?? now, now + pause)
    }

    /// Records a successful response in `region`: the next throttling starts from the base again.
    public mutating func recordSuccess(in region: String) {
        strikes[region] = nil
    }

    /// When polls of `region` may resume, if the region is paused at `now`.
    public func pausedUntil(region: String, at now: MonotonicInstant) -> MonotonicInstant? {
        guard let until = pausedUntil[region], until > now else { return nil }
        return until
    }
}
