/// Why no endpoint could be resolved, with a message that says what to change.
public struct EndpointConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem, for tests and for callers that react differently.
    public enum Reason: Sendable, Equatable {
        /// No region was configured.
        case missingRegion
        /// The region is not a valid DNS label.
        case invalidRegion
        /// A boolean setting held something other than `true` or `false`.
        case invalidBoolean
        /// The endpoint URL is not an absolute http(s) URL with a valid host.
        case invalidEndpointURL
        /// The endpoint URL uses plain http to a host that is not loopback.
        case insecureEndpointURL
        /// The region's partition has no FIPS endpoint.
        case fipsNotSupported
        /// The region's partition has no dual-stack endpoint.
        case dualStackNotSupported
        /// A profile names a `[services NAME]` section the config file does not have.
        case missingServicesSection
    }

    /// The kind of problem.
    public let reason: Reason
    /// What is wrong and how to fix it; never contains URL credentials.
    public let message: String

    public var description: String { message }

    package init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}
