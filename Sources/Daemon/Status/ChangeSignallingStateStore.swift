public import Model

/// A state store that says when a pool's state changed: every save is one (the loop saves only
/// when something but the time of the last poll changed), so the status file is rewritten soon
/// after a change without the loop knowing about it.
public struct ChangeSignallingStateStore: PoolStateStore {
    private let base: any PoolStateStore
    private let changed: @Sendable () -> Void

    public init(_ base: any PoolStateStore, changed: @escaping @Sendable () -> Void) {
        self.base = base
        self.changed = changed
    }

    public func loadAll() -> (states: [IdentityPoolID: PoolState], warnings: [String]) {
        base.loadAll()
    }

    public func save(_ state: PoolState, for pool: IdentityPoolID) throws {
        // Also when the save failed: the loop goes on with the new state, and the view shows it.
        defer { changed() }
        try base.save(state, for: pool)
    }
}
