import Model

/// Pools counted by their last status and by trouble, kept up to date as each pool changes so
/// a status line costs the same for ten pools as for ten thousand.
struct PoolTally: Equatable {
    private(set) var byStatus: [String: Int] = [:]
    private(set) var failing = 0
    private(set) var total = 0

    mutating func add(_ state: PoolState) {
        total += 1
        byStatus[Self.key(state), default: 0] += 1
        if state.failure?.reported == true { failing += 1 }
    }

    mutating func remove(_ state: PoolState) {
        total -= 1
        byStatus[Self.key(state), default: 0] -= 1
        if byStatus[Self.key(state)] == 0 { byStatus[Self.key(state)] = nil }
        if state.failure?.reported == true { failing -= 1 }
    }

    mutating func replace(_ old: PoolState, with new: PoolState) {
        remove(old)
        add(new)
    }

    private static func key(_ state: PoolState) -> String {
        state.lastStatus?.rawValue ?? "UNKNOWN"
    }

    /// `12 pools: 1 IN_PROGRESS, 9 SUCCEEDED, 2 NOT_STARTED; 1 failing to poll`, in a fixed order.
    var summary: String {
        let order = ["IN_PROGRESS", "FAILED", "SUCCEEDED", "NOT_STARTED", "UNKNOWN"]
        let keys = byStatus.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
        let parts = keys.map { "\(byStatus[$0] ?? 0) \($0 == "UNKNOWN" ? "status unknown" : $0)" }
        var text = "\(total) pool\(total == 1 ? "" : "s")"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        if failing > 0 { text += "; \(failing) failing to poll" }
        return text
    }
}
