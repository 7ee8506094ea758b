import Model

/// A fault the simulator is applying, with how often it has hit.
public struct ActiveFault: Sendable, Equatable {
    /// Stable for the simulator's life; the admin API deletes by it.
    public var id: Int
    public var rule: FaultRule
    /// Requests it has hit so far.
    public var hits: Int

    /// Requests it may still hit; `nil` when it has no count.
    public var remaining: Int? {
        rule.count.map { max(0, $0 - hits) }
    }

    /// Whether it would hit a request for `pool` and `operation` at `time` seconds after the start.
    func applies(to pool: String?, operation: ServiceOperation, at time: Double) -> Bool {
        if let scope = rule.pool, scope.rawValue != pool { return false }
        if let operations = rule.operations, !operations.contains(operation) { return false }
        if let remaining, remaining == 0 { return false }
        return rule.isActive(at: time)
    }
}

extension ActiveFault: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, fault, name, pool, operations, from, until, count, remaining, hits
        case delaySeconds, sizeBytes, status, retryAfterMilliseconds, message
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(rule.kind.rawValue, forKey: .fault)
        try container.encode(rule.label, forKey: .name)
        try container.encodeIfPresent(rule.pool?.rawValue, forKey: .pool)
        try container.encodeIfPresent(rule.operations.map { $0.map(\.rawValue).sorted() }, forKey: .operations)
        try container.encodeIfPresent(rule.from, forKey: .from)
        try container.encodeIfPresent(rule.until, forKey: .until)
        try container.encodeIfPresent(rule.count, forKey: .count)
        try container.encodeIfPresent(remaining, forKey: .remaining)
        try container.encode(hits, forKey: .hits)
        try container.encodeIfPresent(rule.delaySeconds, forKey: .delaySeconds)
        try container.encodeIfPresent(rule.sizeBytes, forKey: .sizeBytes)
        try container.encodeIfPresent(rule.status, forKey: .status)
        try container.encodeIfPresent(rule.retryAfterMilliseconds, forKey: .retryAfterMilliseconds)
        try container.encodeIfPresent(rule.message, forKey: .message)
    }
}
