public import Foundation

/// Everything the watcher is told by its configuration file, validated.
public struct WatcherConfiguration: Sendable, Equatable {
    public var aws: AWSOptions
    /// Where per-pool state is kept; `nil` leaves the choice to the environment
    /// (`$STATE_DIRECTORY` under systemd) or the built-in default.
    public var stateDirectory: String?
    public var limits: RequestLimits
    /// The settings every pool starts from.
    public var defaults: PoolSettings
    public var pools: [WatchedPool]

    public init(
        aws: AWSOptions = AWSOptions(),
        stateDirectory: String? = nil,
        limits: RequestLimits = RequestLimits(),
        defaults: PoolSettings = .standard,
        pools: [WatchedPool]
    ) {
        self.aws = aws
        self.stateDirectory = stateDirectory
        self.limits = limits
        self.defaults = defaults
        self.pools = pools
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

    public init(region: String? = nil, endpoint: String? = nil, profile: String? = nil, useFIPSEndpoint: Bool = false, useDualStackEndpoint: Bool = false) {
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
        self.useFIPSEndpoint = useFIPSEndpoint
        self.useDualStackEndpoint = useDualStackEndpoint
    }
}

/// Bounds on how hard the watcher may call the service.
public struct RequestLimits: Sendable, Equatable {
    /// Requests per second across all pools together.
    public var maxRequestsPerSecond: Double
    /// Polls in flight at once.
    public var maxConcurrentPolls: Int
    /// How long one request may take, connection included.
    public var requestTimeout: TimeInterval

    public init(maxRequestsPerSecond: Double = 10, maxConcurrentPolls: Int = 8, requestTimeout: TimeInterval = 10) {
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.maxConcurrentPolls = maxConcurrentPolls
        self.requestTimeout = requestTimeout
    }
}
