import Model

/// A pool's next poll in the loop's priority queue.
///
/// Rescheduling a pool does not search the queue: it bumps the pool's generation and pushes a
/// new entry; an entry whose generation is stale is dropped when it reaches the top.
struct DuePoll: Comparable {
    var dueAt: MonotonicInstant
    var pool: IdentityPoolID
    var generation: UInt64

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.dueAt, lhs.pool) < (rhs.dueAt, rhs.pool)
    }
}
