import AWSCore
import AWSSigning

/// Assumes a role with whatever another source resolves: a pool's own `roleArn`, with the
/// credentials of the configuration's profile (or the pool's). Each refresh resolves the source
/// again and asks STS again.
struct RoleOverSourceCredentialProvider: CredentialProvider {
    let source: any CredentialProvider
    let role: String
    let settings: RoleSessionSettings?

    var sourceName: String { "role \(role) (with \(source.sourceName))" }

    func credentials() async throws -> AWSCredentials {
        guard let settings else {
            throw CredentialError(.invalidConfiguration, source: sourceName, message: "no STS settings to assume \(role) with")
        }
        let sourceCredentials = try await source.credentials()
        let request = STSClient.RoleRequest(roleARN: role, sessionName: settings.defaultSessionName())
        return try await settings.stsClient(source: sourceName).assumeRole(request, with: sourceCredentials)
    }
}
