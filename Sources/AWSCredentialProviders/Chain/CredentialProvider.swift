import AWSCore
public import AWSSigning
/// A source that only some profiles use (a role, web identity, SSO): when it is not set up, the
/// "no credentials found" message leaves it out of what was tried, as its fixes do not apply.
protocol ListedOnlyWhenUsed {}

/// A source of AWS credentials: the environment, a file, a helper program or a metadata service.
///
/// A provider that is simply not set up on this machine throws a ``CredentialError`` with code
/// ``CredentialError/Code/notConfigured`` so a ``CredentialChain`` can move on; any other error
/// means the source *is* set up but broken, and stops the chain (as botocore does).
public protocol CredentialProvider: Sendable {
    /// Names the source for the log line that says where credentials came from, e.g.
    /// "shared credentials file (profile prod)". Never contains a secret.
    var sourceName: String { get }

    /// Fetches credentials now; callers that want caching wrap the provider in
    /// ``RefreshingCredentials``.
    func credentials() async throws -> AWSCredentials
}
