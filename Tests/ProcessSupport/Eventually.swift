/// Whether `condition` holds before `limit` passes, looked at every `interval`: for a condition
/// another task, thread or process brings about, so a regression fails the test after `limit`
/// instead of hanging it.
public func eventually(
    within limit: Duration, checkingEvery interval: Duration = .milliseconds(5), _ condition: () -> Bool
) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return condition()
}
