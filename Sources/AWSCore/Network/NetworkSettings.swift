/// How requests reach AWS: which CAs to trust, and which proxies to go through.
public struct NetworkSettings: Sendable, Equatable {
    /// The certificate authorities every TLS connection trusts.
    public var trust: TrustSettings
    /// Proxies for calls to AWS services: `aws.proxy` when configured, else the environment's.
    public var serviceProxies: ProxySettings
    /// The environment's proxies, which the instance-metadata lookup follows as in botocore
    /// (the container credential endpoint never uses a proxy).
    public var environmentProxies: ProxySettings

    public init(trust: TrustSettings = .system, serviceProxies: ProxySettings = .direct, environmentProxies: ProxySettings = .direct) {
        self.trust = trust
        self.serviceProxies = serviceProxies
        self.environmentProxies = environmentProxies
    }

    /// The system's CAs, no proxy.
    public static let direct = NetworkSettings()
}
