import Synchronization

/// The retry token bucket shared by every call of one client, as botocore's `RetryQuota`.
///
/// A class behind a `Mutex` rather than a value: the quota exists to limit retries across all
/// concurrent calls, so every call must see and drain the same bucket.
public final class RetryQuota: Sendable {
    /// botocore's `INITIAL_CAPACITY`.
    public static let defaultCapacity = 500

    /// The capacity the bucket starts with and never exceeds.
    public let maxCapacity: Int
    private let available: Mutex<Int>

    /// Creates a full bucket.
    public init(capacity: Int = RetryQuota.defaultCapacity) {
        self.maxCapacity = max(0, capacity)
        self.available = Mutex(max(0, capacity))
    }

    /// The tokens currently available.
    public var availableCapacity: Int {
        available.withLock { $0 }
    }

    /// Takes `amount` tokens if that many are available.
    func acquire(_ amount: Int) -> Bool {
        available.withLock { capacity in
            guard amount <= capacity else {
                return false
            }
            capacity -= amount
            return true
        }
    }

    /// Returns up to `amount` tokens, never beyond ``maxCapacity``.
    func release(_ amount: Int) {
        available.withLock { capacity in
            capacity += min(maxCapacity - capacity, amount)
        }
    }
}
