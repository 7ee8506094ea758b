import AWSCore
import Foundation
public import AWSSigning

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and a session token, as
/// botocore's `EnvProvider` reads them.
///
/// The token comes from `AWS_SECURITY_TOKEN`, else `AWS_SESSION_TOKEN` (botocore's order);
/// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601) marks them temporary. Empty variables count as unset.
/// A secret without a key id is ignored; a key id without a secret is an error.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let sourceName = "environment"
    private let environment: [String: String]

    /// Reads from `environment` (the process environment, handed in).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        try load()
    }

    /// The synchronous lookup; nothing here waits.
    func load() throws(CredentialError) -> AWSCredentials {
        guard let accessKeyID = value("AWS_ACCESS_KEY_ID") else {
            throw .notConfigured(sourceName, "AWS_ACCESS_KEY_ID is not set")
        }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw CredentialError(
                .partialCredentials, source: sourceName,
                message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or neither")
        }
        let token = value("AWS_SECURITY_TOKEN") ?? value("AWS_SESSION_TOKEN")
        var expiration: Date?
        if let text = value("AWS_CREDENTIAL_EXPIRATION") {
            guard let date = ISO8601Timestamp.parse(text) else {
                throw CredentialError(
                    .invalidConfiguration, source: sourceName,
                    message: "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time (e.g. 2025-01-31T12:00:00Z)")
            }
            expiration = date
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
