public import Model

/// Where per-pool state survives restarts.
public protocol PoolStateStore: Sendable {
    /// Every saved state, with a warning for each file that could not be used (it is moved
    /// aside, never deleted, and the pool starts afresh).
    func loadAll() -> (states: [IdentityPoolID: PoolState], warnings: [String])
    /// Saves one pool's state atomically: after a crash the old or the new state is there,
    /// never a mix.
    func save(_ state: PoolState, for pool: IdentityPoolID) throws
}
