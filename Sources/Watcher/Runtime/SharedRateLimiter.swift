import Model
import Synchronization

/// One request budget for every pool `wait` watches, so waiting on many pools at once stays
/// under the configuration's `limits.maxRequestsPerSecond`.
final class SharedRateLimiter: Sendable {
    private let limiter: Mutex<RequestRateLimiter>
    private let origin = ContinuousClock.now

    init(rate: Double) {
        limiter = Mutex(RequestRateLimiter(rate: rate))
    }

    /// Returns once a request may be sent; throws `CancellationError` if cancelled while waiting.
    func acquire() async throws {
        while true {
            let now = MonotonicInstant(sinceOrigin: origin.duration(to: .now))
            guard let wait = limiter.withLock({ $0.acquire(at: now) }) else { return }
            try await Task.sleep(for: wait)
        }
    }
}
