public import Model

/// Asks the service how a pool's bulk publish stands.
public protocol DetailsFetcher: Sendable {
    /// One poll: the details, or why there are none. Cancellation ends it early with a
    /// transient failure.
    func fetchDetails(for pool: WatchedPool) async -> Result<BulkPublishDetails, PollFailure>
}
