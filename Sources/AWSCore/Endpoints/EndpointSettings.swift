/// Endpoint settings given explicitly (command line or the daemon's configuration); they beat the
/// environment, which beats the profile's.
public struct EndpointSettings: Sendable, Equatable {
    /// A custom endpoint URL, e.g. `http://127.0.0.1:4566` for a local simulator.
    public var endpointURL: String?
    /// Use the FIPS endpoint; `nil` defers to `AWS_USE_FIPS_ENDPOINT`.
    public var useFIPS: Bool?
    /// Use the dual-stack endpoint; `nil` defers to `AWS_USE_DUALSTACK_ENDPOINT`.
    public var useDualStack: Bool?
    /// Ignore `AWS_ENDPOINT_URL*`; `nil` defers to `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`.
    public var ignoreConfiguredEndpointURLs: Bool?
    /// The shared config file's profile, consulted for each setting after the environment.
    public var profile: ProfileEndpointSettings?

    /// Creates settings; every `nil` falls back to the environment.
    public init(
        endpointURL: String? = nil,
        useFIPS: Bool? = nil,
        useDualStack: Bool? = nil,
        ignoreConfiguredEndpointURLs: Bool? = nil,
        profile: ProfileEndpointSettings? = nil
    ) {
        self.endpointURL = endpointURL
        self.useFIPS = useFIPS
        self.useDualStack = useDualStack
        self.ignoreConfiguredEndpointURLs = ignoreConfiguredEndpointURLs
        self.profile = profile
    }
}
