import Model

/// Pools counted by their last status and by trouble, kept up to date as each pool changes so
/// a status line costs the same for ten pools as for ten thousand.
struct PoolTally: Equatable {
    /// Pools of one identity, and how many of them are failing to poll.
    struct IdentityCount: Equatable {
        var total = 0
        var failing = 0
    }

    /// `nil` stands for pools whose status is not known yet.
    private(set) var byStatus: [BulkPublishStatus?: Int] = [:]
    private(set) var failing = 0
    private(set) var total = 0
    /// `nil` stands for the configuration's own identity.
    private(set) var byIdentity: [PoolIdentity?: IdentityCount] = [:]

    /// The most identities a status line names.
    static let identitiesNamed = 3

    mutating func add(_ state: PoolState, identity: PoolIdentity?) {
        total += 1
        byStatus[state.lastStatus, default: 0] += 1
        byIdentity[identity, default: IdentityCount()].total += 1
        if state.failure?.reported == true {
            failing += 1
            byIdentity[identity, default: IdentityCount()].failing += 1
        }
    }

    mutating func remove(_ state: PoolState, identity: PoolIdentity?) {
        total -= 1
        byStatus[state.lastStatus, default: 0] -= 1
        if byStatus[state.lastStatus] == 0 { byStatus[state.lastStatus] = nil }
        byIdentity[identity, default: IdentityCount()].total -= 1
        if state.failure?.reported == true {
            failing -= 1
            byIdentity[identity, default: IdentityCount()].failing -= 1
        }
        if byIdentity[identity]?.total == 0 { byIdentity[identity] = nil }
    }

    mutating func replace(_ old: PoolState, with new: PoolState, identity: PoolIdentity?) {
        remove(old, identity: identity)
        add(new, identity: identity)
    }

    /// `12 pools: 1 IN_PROGRESS, 9 SUCCEEDED, 2 NOT_STARTED; 1 failing to poll`, in a fixed order:
    /// what needs attention first. When pools use several identities and every pool of one of
    /// them is failing, the line names it (`; 3 failing to poll (every pool of profile audit)`):
    /// most likely its credentials or its permissions, while the other identities' pools go on.
    var summary: String {
        let keys = byStatus.keys.sorted { (Self.rank($0), $0?.rawValue ?? "") < (Self.rank($1), $1?.rawValue ?? "") }
        let parts = keys.map { "\(byStatus[$0] ?? 0) \($0?.rawValue ?? "status unknown")" }
        var text = "\(total) pool\(total == 1 ? "" : "s")"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        if failing > 0 {
            text += "; \(failing) failing to poll"
            let down = byIdentity.count > 1
                ? byIdentity.filter { $0.value.failing == $0.value.total }.keys.map { $0?.description ?? PoolIdentity().description }.sorted()
                : []
            if !down.isEmpty {
                let named = down.prefix(Self.identitiesNamed).joined(separator: ", ")
                let more = down.count > Self.identitiesNamed ? " and \(down.count - Self.identitiesNamed) more" : ""
                text += " (every pool of \(named)\(more))"
            }
        }
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
