import AWSClient
import AWSSigning
import Foundation
import Logging
import Model
import NIOCore

/// The AWS client and the HTTP connection pools it runs on, built from the configuration.
struct ServiceClients {
    let transport: HTTPTransport
    let client: CognitoSyncClient
    let aws: AWSOptions
    /// Trust, proxies and retries as resolved from the configuration, environment and profile.
    let settings: ClientSettings
    /// The cached credentials; a reload drops them so rotated keys are read again.
    let credentials: RefreshingCredentials

    /// Resolves the client settings (reading a CA bundle once) and builds the client;
    /// credentials are resolved on first use (and refreshed before they expire), so a daemon
    /// starts even while credentials are missing and says so per pool.
    ///
    /// - Parameter eventLoopGroup: the event loops for the connections (the caller's, to be shut
    ///   down after ``shutdown()``), or NIO's shared ones.
    /// - Throws: when a trust, proxy or retry setting cannot be used.
    init(aws: AWSOptions, limits: RequestLimits, environment: [String: String], eventLoopGroup: (any EventLoopGroup)? = nil, logger: Logger) throws(ClientSettingsError) {
        try self.init(
            settings: ClientSettings.resolve(aws: aws, environment: environment), aws: aws, limits: limits,
            environment: environment, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Builds the client from settings already resolved.
    init(settings: ClientSettings, aws: AWSOptions, limits: RequestLimits, environment: [String: String], eventLoopGroup: (any EventLoopGroup)? = nil, logger: Logger) {
        let timeout = Duration.milliseconds(Int64(limits.requestTimeout * 1000))
        self.settings = settings
        for warning in settings.warnings { logger.warning("\(warning)") }
        transport = HTTPTransport(
            settings: settings.network, requestTimeout: timeout, connectionsPerHost: limits.maxConcurrentPolls, eventLoopGroup: eventLoopGroup)
        let chain = CredentialChain(environment: Self.credentialEnvironment(environment, endpoint: aws.endpoint), transport: transport, profile: aws.profile)
        let credentials = RefreshingCredentials(provider: SourceLoggingCredentials(chain: chain, logger: logger), logger: logger)
        self.credentials = credentials
        let configuration = CognitoSyncClientConfiguration(
            endpoint: aws.endpointSettings,
            environment: environment,
            requestTimeout: timeout,
            maxAttempts: settings.retry.maxAttempts
        )
        client = CognitoSyncClient(transport: transport, credentials: credentials, configuration: configuration, logger: logger)
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

    /// The clients for a one-shot command; a setting that cannot be used is a usage error
    /// (exit status 2) naming every problem.
    static func forCommand(_ configuration: WatcherConfiguration, environment: [String: String], logger: Logger) throws -> ServiceClients {
        do {
            return try ServiceClients(aws: configuration.aws, limits: configuration.limits, environment: environment, logger: logger)
        } catch {
            throw CommandFailure(.usage, error.description)
        }
    }

    func shutdown() async {
        await transport.shutdown()
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

extension AWSOptions {
    /// The endpoint choices of the configuration; `false` leaves FIPS and dual-stack to the
    /// environment's `AWS_USE_FIPS_ENDPOINT` and `AWS_USE_DUALSTACK_ENDPOINT`.
    var endpointSettings: EndpointSettings {
        EndpointSettings(endpointURL: endpoint, useFIPS: useFIPSEndpoint ? true : nil, useDualStack: useDualStackEndpoint ? true : nil)
    }
}
