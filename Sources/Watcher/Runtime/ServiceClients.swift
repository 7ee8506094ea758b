import AWSClient
import AWSSigning
import AsyncHTTPClient
import Foundation
import Logging
import Model
import NIOCore

/// The AWS client and the HTTP connection pool it runs on, built from the configuration.
struct ServiceClients {
    let http: HTTPClient
    let client: CognitoSyncClient
    let aws: AWSOptions
    /// The cached credentials; a reload drops them so rotated keys are read again.
    let credentials: RefreshingCredentials

    /// Builds the client; credentials are resolved on first use (and refreshed before they
    /// expire), so a daemon starts even while credentials are missing and says so per pool.
    ///
    /// - Parameter eventLoopGroup: the event loops for the connections (the caller's, to be shut
    ///   down after ``shutdown()``), or NIO's shared ones.
    init(aws: AWSOptions, limits: RequestLimits, environment: [String: String], eventLoopGroup: (any EventLoopGroup)? = nil, logger: Logger) {
        let timeout = Duration.milliseconds(Int64(limits.requestTimeout * 1000))
        http = CognitoSyncClient.makeHTTPClient(requestTimeout: timeout, eventLoopGroup: eventLoopGroup)
        let chain = CredentialChain(environment: Self.credentialEnvironment(environment, endpoint: aws.endpoint), httpClient: http, profile: aws.profile)
        let credentials = RefreshingCredentials(provider: SourceLoggingCredentials(chain: chain, logger: logger), logger: logger)
        self.credentials = credentials
        let configuration = CognitoSyncClientConfiguration(
            endpoint: EndpointSettings(endpointURL: aws.endpoint, useFIPS: aws.useFIPSEndpoint ? true : nil, useDualStack: aws.useDualStackEndpoint ? true : nil),
            environment: environment,
            requestTimeout: timeout
        )
        client = CognitoSyncClient(httpClient: http, credentials: credentials, configuration: configuration, logger: logger)
        self.aws = aws
    }

    /// The environment the credential chain sees. With a loopback endpoint (the simulator) the
    /// instance metadata and container endpoints are never asked: no local service needs an
    /// instance role, and a machine off EC2 must not send requests to link-local addresses.
    static func credentialEnvironment(_ environment: [String: String], endpoint: String?) -> [String: String] {
        guard let endpoint, let host = URL(string: endpoint)?.host,
              host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" else {
            return environment
        }
        var copy = environment.filter { !$0.key.hasPrefix("AWS_CONTAINER_") }
        copy["AWS_EC2_METADATA_DISABLED"] = "true"
        return copy
    }

    func shutdown() async {
        try? await http.shutdown()
    }
}

/// Resolves the credential chain and logs which source answered (never the secret), once per
/// change of source, and a warning when the keys sit in a file others may read.
actor SourceLoggingCredentials: CredentialProvider {
    nonisolated let sourceName = "default credential chain"
    private let chain: CredentialChain
    private let logger: Logger
    private var lastSource: String?
    private var lastAccessWarning: String?

    init(chain: CredentialChain, logger: Logger) {
        self.chain = chain
        self.logger = logger
    }

    func credentials() async throws -> AWSCredentials {
        let resolved = try await chain.resolve()
        if resolved.sourceName != lastSource {
            lastSource = resolved.sourceName
            logger.info("using AWS credentials", metadata: ["source": "\(resolved.sourceName)", "key": "\(resolved.credentials)"])
        }
        let warning = resolved.fileAccessWarning
        if warning != lastAccessWarning {
            lastAccessWarning = warning
            if let warning { logger.warning("\(warning)") }
        }
        return resolved.credentials
    }
}
