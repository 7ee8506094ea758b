import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import CoreMetrics
import Daemon
import Foundation
import Logging
import Model
import NIOCore

/// The AWS clients and the HTTP connection pools they run on, built from the configuration: one
/// client for the configuration's identity, and one more for each identity pools name of their
/// own (a profile, a role), all sharing the connections.
struct ServiceClients {
    let transport: HTTPTransport
    /// The client of the configuration's identity.
    let client: CognitoSyncClient
    let aws: AWSOptions
    /// Trust, proxies and retries as resolved from the configuration, environment and profile.
    let settings: ClientSettings
    /// The cached credentials of the configuration's identity; a reload drops them (and every
    /// pool identity's) so rotated keys are read again.
    let credentials: RefreshingCredentials
    /// The clients of the pools' own identities, each with its credentials refreshed on its own.
    let identities: [PoolIdentity: (client: CognitoSyncClient, credentials: RefreshingCredentials)]

    /// Resolves the client settings (reading a CA bundle once) and builds the clients;
    /// credentials are resolved on first use (and refreshed before they expire), so a daemon
    /// starts even while credentials are missing and says so per pool.
    ///
    /// - Parameter eventLoopGroup: the event loops for the connections (the caller's, to be shut
    ///   down after ``shutdown()``), or NIO's shared ones.
    /// - Throws: when a trust, proxy or retry setting cannot be used.
    init(
        aws: AWSOptions, limits: RequestLimits, environment: [String: String], identities: Set<PoolIdentity> = [],
        eventLoopGroup: (any EventLoopGroup)? = nil, logger: Logger
    ) throws(ClientSettingsError) {
        try self.init(
            settings: ClientSettings.resolve(aws: aws, environment: environment), aws: aws, limits: limits,
            environment: environment, identities: identities, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Builds the clients from settings already resolved.
    ///
    /// - Parameter forDaemon: a `credential_process` runs in a process group of its own, killed
    ///   whole at its timeout or when the poll is given up; a command run in a terminal leaves
    ///   it in the terminal's group instead, where Ctrl-C reaches it.
    /// - Parameter sleep: how the clients wait between retries.
    init(
        settings: ClientSettings, aws: AWSOptions, limits: RequestLimits, environment: [String: String],
        identities: Set<PoolIdentity> = [], eventLoopGroup: (any EventLoopGroup)? = nil,
        metricsFactory: (any MetricsFactory)? = nil, forDaemon: Bool = false, sleep: @escaping Sleep = taskSleep, logger: Logger
    ) {
        let timeout = limits.requestTimeout
        self.settings = settings
        for warning in settings.warnings { logger.warning("\(warning)") }
        let transport = HTTPTransport(
            settings: settings.network, requestTimeout: timeout, connectionsPerHost: limits.maxConcurrentPolls, eventLoopGroup: eventLoopGroup)
        self.transport = transport
        let credentialEnvironment = Self.credentialEnvironment(environment, endpoint: aws.endpoint)
        func makeClient(_ identity: PoolIdentity?) -> (client: CognitoSyncClient, credentials: RefreshingCredentials) {
            // The identity's profile also says where its requests go (endpoint_url, services).
            let configuration = CognitoSyncClientConfiguration(
                endpoint: aws.endpointSettings,
                environment: environment,
                profile: ProfileSelection(configured: identity?.profile ?? aws.profile, environment: environment).name,
                requestTimeout: timeout,
                maxAttempts: settings.retry.maxAttempts,
                metricsFactory: metricsFactory
            )
            let chain = CredentialChain(
                environment: credentialEnvironment, transport: transport, profile: identity?.profile ?? aws.profile,
                options: CredentialChain.Options(processOwnProcessGroup: forDaemon, sleep: sleep))
            let source: SourceLoggingCredentials
            let expiry = metricsFactory.map { factory in
                CoreMetrics.Gauge(
                    label: MetricCatalog.credentialsExpiry.name,
                    dimensions: [("identity", identity.map { "\($0)" } ?? MetricCatalog.defaultIdentity)], factory: factory)
            }
            if let role = identity?.roleARN {
                let provider = chain.assuming(role: role)
                source = SourceLoggingCredentials(identity: identity, expiry: expiry, logger: logger) {
                    ResolvedCredentials(credentials: try await provider.credentials(), provider: provider)
                }
            } else {
                source = SourceLoggingCredentials(identity: identity, expiry: expiry, logger: logger) { try await chain.resolve() }
            }
            let credentials = RefreshingCredentials(provider: source, logger: logger)
            return (CognitoSyncClient(transport: transport, credentials: credentials, configuration: configuration, sleep: sleep, logger: logger), credentials)
        }
        (client, credentials) = makeClient(nil)
        self.identities = Dictionary(uniqueKeysWithValues: identities.map { ($0, makeClient($0)) })
        self.aws = aws
    }

    /// The client a pool is polled with: its own identity's, else the configuration's.
    func client(for pool: WatchedPool) -> CognitoSyncClient {
        pool.identity.flatMap { identities[$0]?.client } ?? client
    }

    /// The daemon's fetcher over these clients.
    var fetcher: CognitoSyncDetailsFetcher {
        CognitoSyncDetailsFetcher(client: client, identities: identities.mapValues(\.client))
    }

    /// Drops every cached credential, so the next call reads them again.
    func invalidateCredentials() async {
        await credentials.invalidate()
        for identity in identities.values {
            await identity.credentials.invalidate()
        }
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
            return try ServiceClients(
                aws: configuration.aws, limits: configuration.limits, environment: environment,
                identities: configuration.poolIdentities, logger: logger)
        } catch {
            throw CommandFailure(.usage, error.description)
        }
    }

    /// Cancels the credential refreshes under way (a `credential_process` is killed) and waits
    /// for them to end; none starts afterwards.
    func endCredentialRefreshes() async {
        await credentials.shutdown()
        for identity in identities.values {
            await identity.credentials.shutdown()
        }
    }

    /// Ends the credential refreshes, then closes the connections.
    func shutdown() async {
        await endCredentialRefreshes()
        await transport.shutdown()
    }
}

/// Resolves credentials and logs which source answered (never the secret), once per change of
/// source, and each new warning (keys in a file others may read, a shared file skipped as
/// unreadable) once.
actor SourceLoggingCredentials: CredentialProvider {
    nonisolated let sourceName: String
    private let identity: PoolIdentity?
    private let resolve: @Sendable () async throws -> ResolvedCredentials
    private let logger: Logger
    /// Shows when the credentials expire, when metrics are recorded.
    private let expiry: CoreMetrics.Gauge?
    private var lastSource: String?
    private var lastWarnings: [String] = []

    /// - Parameter identity: a pool's own identity, named in the log lines; nil for the
    ///   configuration's.
    init(
        identity: PoolIdentity?, expiry: CoreMetrics.Gauge? = nil, logger: Logger,
        resolve: @escaping @Sendable () async throws -> ResolvedCredentials
    ) {
        self.identity = identity
        self.expiry = expiry
        self.sourceName = identity.map { "\($0)" } ?? "default credential chain"
        self.resolve = resolve
        self.logger = logger
    }

    func credentials() async throws -> AWSCredentials {
        let resolved = try await resolve()
        if let expiry {
            // Credentials that do not expire show 0: no expiry alert fires for them.
            expiry.record(resolved.credentials.expiration?.timeIntervalSince1970 ?? 0)
        }
        if resolved.sourceName != lastSource {
            lastSource = resolved.sourceName
            var metadata: Logger.Metadata = ["source": "\(resolved.sourceName)", "key": "\(resolved.credentials)"]
            if let identity { metadata["identity"] = "\(identity)" }
            logger.info("using AWS credentials", metadata: metadata)
        }
        if resolved.warnings != lastWarnings {
            for warning in resolved.warnings where !lastWarnings.contains(warning) {
                logger.warning("\(warning)")
            }
            lastWarnings = resolved.warnings
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
