import Model

/// Pools counted by their last status and by trouble, kept up to date as each pool changes so
/// a status line costs the same for ten pools as for ten thousand.
struct PoolTally: Equatable {
    /// `nil` stands for pools whose status is not known yet.
    private(set) var byStatus: [BulkPublishStatus?: Int] = [:]
    private(set) var failing = 0
    private(set) var total = 0

    mutating func add(_ state: PoolState) {
        total += 1
        byStatus[state.lastStatus, default: 0] += 1
        if state.failure?.reported == true { failing += 1 }
    }

    mutating func remove(_ state: PoolState) {
        total -= 1
        byStatus[state.lastStatus, default: 0] -= 1
        if byStatus[state.lastStatus] == 0 { byStatus[state.lastStatus] = nil }
        if state.failure?.reported == true { failing -= 1 }
    }

    mutating func replace(_ old: PoolState, with new: PoolState) {
        remove(old)
        add(new)
    }

    /// `12 pools: 1 IN_PROGRESS, 9 SUCCEEDED, 2 NOT_STARTED; 1 failing to poll`, in a fixed order:
    /// what needs attention first.
    var summary: String {
        let keys = byStatus.keys.sorted { (Self.rank($0), $0?.rawValue ?? "") < (Self.rank($1), $1?.rawValue ?? "") }
        let parts = keys.map { "\(byStatus[$0] ?? 0) \($0?.rawValue ?? "status unknown")" }
        var text = "\(total) pool\(total == 1 ? "" : "s")"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        if failing > 0 { text += "; \(failing) failing to poll" }
        return text
    }

    private static func rank(_ status: BulkPublishStatus?) -> Int {
        switch status {
        case .inProgress: 0
        case .failed: 1
        case .succeeded: 2
        case .notStarted: 3
        case .unrecognized: 4
        case nil: 5
        }
    }
}
