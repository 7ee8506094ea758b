/// Everything the watcher is told by its configuration file, validated.
public struct WatcherConfiguration: Sendable, Equatable {
    public var aws: AWSOptions
    /// Where per-pool state is kept; `nil` leaves the choice to the environment
    /// (`$STATE_DIRECTORY` under systemd) or the built-in default.
    public var stateDirectory: String?
    /// Where the daemon writes its status file for `daemon-status`; `nil` leaves the choice to
    /// the environment (`$RUNTIME_DIRECTORY` under systemd), else the state directory.
    public var runtimeDirectory: String?
    public var limits: RequestLimits
    /// The settings every pool starts from.
    public var defaults: PoolSettings
    public var pools: [WatchedPool]
    /// Prometheus metrics: an endpoint to scrape, a file for node_exporter, or neither.
    public var metrics: MetricsOptions
    /// The commands run on events, and how they are retried.
    public var hooks: HookSettings

    public init(
        aws: AWSOptions = AWSOptions(),
        stateDirectory: String? = nil,
        runtimeDirectory: String? = nil,
        limits: RequestLimits = RequestLimits(),
        defaults: PoolSettings = .standard,
        pools: [WatchedPool],
        metrics: MetricsOptions = MetricsOptions(),
        hooks: HookSettings = HookSettings()
    ) {
        self.aws = aws
        self.stateDirectory = stateDirectory
        self.runtimeDirectory = runtimeDirectory
        self.limits = limits
        self.defaults = defaults
        self.pools = pools
        self.metrics = metrics
        self.hooks = hooks
    }

    /// The distinct identities of the pools that name one of their own.
    public var poolIdentities: Set<PoolIdentity> {
        Set(pools.compactMap(\.identity))
    }

    /// The distinct regions the pools live in, sorted.
    public var regions: [String] {
        Array(Set(pools.map(\.region))).sorted()
    }
}

/// Where and as whom the watcher calls AWS.
public struct AWSOptions: Sendable, Equatable {
    /// Overrides the region of every pool (otherwise taken from each pool id).
    public var region: String?
    /// A custom endpoint URL, e.g. the bundled simulator's.
    public var endpoint: String?
    /// The profile of the shared credentials and config files.
    public var profile: String?
    public var useFIPSEndpoint: Bool
    public var useDualStackEndpoint: Bool
    /// A PEM file of the certificate authorities to trust instead of the system's store;
    /// wins over `AWS_CA_BUNDLE` and the profile's `ca_bundle`.
    public var caBundle: String?
    /// Proxies for the calls to AWS; when set, the environment's proxy variables are ignored.
    public var proxy: ProxyOptions?

    public init(
        region: String? = nil, endpoint: String? = nil, profile: String? = nil, useFIPSEndpoint: Bool = false,
        useDualStackEndpoint: Bool = false, caBundle: String? = nil, proxy: ProxyOptions? = nil
    ) {
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
        self.useFIPSEndpoint = useFIPSEndpoint
        self.useDualStackEndpoint = useDualStackEndpoint
        self.caBundle = caBundle
        self.proxy = proxy
    }
}

/// The configuration file's proxies (`aws.proxy`), as botocore's client `proxies` setting: they
/// replace the environment's `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` for the calls to AWS.
public struct ProxyOptions: Sendable, Equatable {
    /// The proxy URL for `https://` endpoints (every AWS endpoint).
    public var https: String?
    /// The proxy URL for `http://` endpoints.
    public var http: String?
    /// Hosts that go direct, matched as `NO_PROXY` entries are.
    public var noProxy: [String]

    public init(https: String? = nil, http: String? = nil, noProxy: [String] = []) {
        self.https = https
        self.http = http
        self.noProxy = noProxy
    }
}

/// Bounds on how hard the watcher may call the service.
public struct RequestLimits: Sendable, Equatable {
    /// Requests per second across all pools together.
    public var maxRequestsPerSecond: Double
    /// Polls in flight at once.
    public var maxConcurrentPolls: Int
    /// How long one request may take, connection included.
    public var requestTimeout: Duration

    public init(maxRequestsPerSecond: Double = 10, maxConcurrentPolls: Int = 8, requestTimeout: Duration = .seconds(10)) {
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.maxConcurrentPolls = maxConcurrentPolls
        self.requestTimeout = requestTimeout
    }
}
