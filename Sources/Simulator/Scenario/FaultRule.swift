public import Foundation
public import Model

/// A fault and the requests it hits: those in a time window, the next `count` of them, or both.
public struct FaultRule: Sendable, Equatable {
    public var kind: FaultKind
    /// The label in the request log; the kind's name when not set.
    public var name: String?
    /// Only requests for this pool; every pool when `nil`.
    public var pool: IdentityPoolID?
    /// Only these operations; both when `nil`.
    public var operations: Set<ServiceOperation>?
    /// Seconds after the simulator's start from which the fault applies (inclusive).
    public var from: TimeInterval?
    /// Seconds after the simulator's start at which the fault stops (exclusive).
    public var until: TimeInterval?
    /// How many requests the fault hits before it is spent.
    public var count: Int?
    /// For `slow`: how long the answer is held.
    public var delaySeconds: TimeInterval?
    /// For `huge`: the size of the body.
    public var sizeBytes: Int?
    /// For `unknownStatus`: the status string sent.
    public var status: String?
    /// For the throttling kinds: sent as `x-amz-retry-after` (milliseconds) when set.
    public var retryAfterMilliseconds: Int?
    /// For the error kinds: replaces the service's message.
    public var message: String?

    public init(
        _ kind: FaultKind,
        name: String? = nil,
        pool: IdentityPoolID? = nil,
        operations: Set<ServiceOperation>? = nil,
        from: TimeInterval? = nil,
        until: TimeInterval? = nil,
        count: Int? = nil,
        delaySeconds: TimeInterval? = nil,
        sizeBytes: Int? = nil,
        status: String? = nil,
        retryAfterMilliseconds: Int? = nil,
        message: String? = nil
    ) {
        self.kind = kind
        self.name = name
        self.pool = pool
        self.operations = operations
        self.from = from
        self.until = until
        self.count = count
        self.delaySeconds = delaySeconds
        self.sizeBytes = sizeBytes
        self.status = status
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.message = message
    }

    /// How the fault is named in the request log.
    public var label: String { name ?? kind.rawValue }

    /// The delay of a `slow` fault.
    var effectiveDelay: TimeInterval { delaySeconds ?? 5 }

    /// The body size of a `huge` fault.
    var effectiveSize: Int { sizeBytes ?? 8 * 1024 * 1024 }

    /// The status of an `unknownStatus` fault.
    var effectiveStatus: String { status ?? "PAUSED" }

    /// Whether the fault's window contains `time` (seconds after the start).
    func isActive(at time: TimeInterval) -> Bool {
        if let from, time < from { return false }
        if let until, time >= until { return false }
        return true
    }
}
