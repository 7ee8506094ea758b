public import AWSCore
public import CoreMetrics
import Foundation
import Model

/// How a ``CognitoSyncClient`` reaches the service.
public struct CognitoSyncClientConfiguration: Sendable {
    /// Endpoint choices from the configuration file or the command line; the environment's
    /// `AWS_ENDPOINT_URL*`, `AWS_USE_FIPS_ENDPOINT` and `AWS_USE_DUALSTACK_ENDPOINT` come after them.
    public var endpoint: EndpointSettings
    /// The process environment, handed in.
    public var environment: [String: String]
    /// The profile of the shared config file whose endpoint settings (`endpoint_url`, its
    /// services section's `cognito_sync` block, `use_fips_endpoint`…) apply after the
    /// environment's, read when a region is first called; nil reads none.
    public var profile: String?
    /// How long one attempt may take, connecting included.
    public var requestTimeout: Duration
    /// The largest response body accepted; the real responses are a few hundred bytes.
    public var maxResponseBytes: Int
    /// Attempts per call, the first included (AWS standard retry mode: 3).
    public var maxAttempts: Int
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Where each request's duration and each retry are recorded, per region; nil records
    /// nothing (and costs nothing).
    public var metricsFactory: (any MetricsFactory)?

    public init(
        endpoint: EndpointSettings = EndpointSettings(),
        environment: [String: String],
        profile: String? = nil,
        requestTimeout: Duration = .seconds(10),
        maxResponseBytes: Int = 64 * 1024,
        maxAttempts: Int = StandardRetryStrategy.defaultMaxAttempts,
        userAgent: String = CognitoSyncClientConfiguration.defaultUserAgent,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.endpoint = endpoint
        self.environment = environment
        self.profile = profile
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxAttempts = maxAttempts
        self.userAgent = userAgent
        self.metricsFactory = metricsFactory
    }

    /// `cognito-sync-watcher/VERSION (Linux; Swift)`, as every request of ours sends.
    public static let defaultUserAgent = UserAgent.value
}
