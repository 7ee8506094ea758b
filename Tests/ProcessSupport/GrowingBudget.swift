/// Runs `attempt` with `budget`, then with twice as much, and so on, until an attempt says the
/// test's premise held (returns true), at most `tries` times; returns whether one did.
///
/// For a test whose premise is a race a loaded machine can lose: a helper starting within its
/// timeout, a call landing before a deadline, a handshake finishing inside a request timeout.
/// An attempt the machine spoiled proves nothing either way, so it is made again with more
/// room rather than judged; the attempt that is judged asserts as strictly as ever.
public func withGrowingBudget(
    from budget: Duration, tries: Int = 6, _ attempt: (Duration) async throws -> Bool
) async rethrows -> Bool {
    var budget = budget
    for _ in 0..<max(tries, 1) {
        if try await attempt(budget) { return true }
        budget *= 2
    }
    return false
}
