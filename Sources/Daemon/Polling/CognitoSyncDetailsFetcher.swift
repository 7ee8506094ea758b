public import AWSClient
public import Model

/// The real ``DetailsFetcher``: `GetBulkPublishDetails` through the project's AWS client.
public struct CognitoSyncDetailsFetcher: DetailsFetcher {
    public let client: CognitoSyncClient

    public init(client: CognitoSyncClient) {
        self.client = client
    }

    public func fetchDetails(for pool: WatchedPool) async -> Result<BulkPublishDetails, PollFailure> {
        do {
            return .success(try await client.bulkPublishDetails(for: pool.id, region: pool.region))
        } catch {
            return .failure(error.pollFailure)
        }
    }
}
