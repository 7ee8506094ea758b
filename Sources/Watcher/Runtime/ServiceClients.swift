import AWSClient
import AWSSigning
import AsyncHTTPClient
import Logging
import Model

/// The AWS client and the HTTP connection pool it runs on, built from the configuration.
struct ServiceClients {
    let http: HTTPClient
    let client: CognitoSyncClient
    let aws: AWSOptions

    /// Builds the client; credentials are resolved on first use (and refreshed before they
    /// expire), so a daemon starts even while credentials are missing and says so per pool.
    init(aws: AWSOptions, limits: RequestLimits, environment: [String: String], logger: Logger) {
        let timeout = Duration.milliseconds(Int64(limits.requestTimeout * 1000))
        http = CognitoSyncClient.makeHTTPClient(requestTimeout: timeout)
        let chain = CredentialChain(environment: environment, httpClient: http, profile: aws.profile)
        let credentials = RefreshingCredentials(provider: SourceLoggingCredentials(chain: chain, logger: logger), logger: logger)
        let configuration = CognitoSyncClientConfiguration(
            endpoint: EndpointSettings(endpointURL: aws.endpoint, useFIPS: aws.useFIPSEndpoint ? true : nil, useDualStack: aws.useDualStackEndpoint ? true : nil),
            environment: environment,
            requestTimeout: timeout
        )
        client = CognitoSyncClient(httpClient: http, credentials: credentials, configuration: configuration, logger: logger)
        self.aws = aws
    }

    /// The region a pool is called in.
    func region(for pool: WatchedPool) -> String { pool.region }

    func shutdown() async {
        try? await http.shutdown()
    }
}

/// Resolves the credential chain and logs which source answered (never the secret), once per
/// change of source.
actor SourceLoggingCredentials: CredentialProvider {
    nonisolated let sourceName = "default credential chain"
    private let chain: CredentialChain
    private let logger: Logger
    private var lastSource: String?

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
        return resolved.credentials
    }
}
