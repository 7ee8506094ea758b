public import AWSClient
import AWSCore
public import Model

/// The real ``DetailsFetcher``: `GetBulkPublishDetails` through the project's AWS client, the
/// client of the pool's own identity when it names one.
public struct CognitoSyncDetailsFetcher: DetailsFetcher {
    public let client: CognitoSyncClient
    public let identities: [PoolIdentity: CognitoSyncClient]

    public init(client: CognitoSyncClient, identities: [PoolIdentity: CognitoSyncClient] = [:]) {
        self.client = client
        self.identities = identities
    }

    public func fetchDetails(for pool: WatchedPool) async -> Result<BulkPublishDetails, PollFailure> {
        let client = pool.identity.flatMap { identities[$0] } ?? client
        do {
            return .success(try await client.bulkPublishDetails(for: pool.id, region: pool.region))
        } catch {
            return .failure(error.pollFailure)
        }
    }
}
