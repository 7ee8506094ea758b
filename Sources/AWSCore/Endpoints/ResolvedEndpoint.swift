public import Foundation

/// Where requests go, and why: the URL plus the setting that chose it.
public struct ResolvedEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// What chose the endpoint, for the startup log line.
    public enum Source: Sendable, Equatable {
        /// An explicitly configured endpoint URL.
        case explicit
        /// An environment variable such as `AWS_ENDPOINT_URL_COGNITO_SYNC` or `AWS_ENDPOINT_URL`.
        case environment(variable: String)
        /// A setting of the shared config file's profile, e.g. "endpoint_url in profile prod".
        case profile(setting: String)
        /// The standard endpoint of the region's partition.
        case partition(id: String, fips: Bool, dualStack: Bool)
    }

    /// The base URL, without a trailing slash; request paths are appended to it.
    public let url: URL
    /// What chose the endpoint.
    public let source: Source
    /// The region requests are signed for.
    public let signingRegion: String
    /// Endpoint variants that were asked for but do not apply to a custom endpoint
    /// (`FIPS`, `dual-stack`), as botocore ignores them there.
    public var ignoredVariants: [String] = []

    public var description: String {
        let origin =
            switch source {
            case .explicit: "configured endpoint"
            case .environment(let variable): "from \(variable)"
            case .profile(let setting): "from \(setting)"
            case .partition(let id, let fips, let dualStack):
                "partition \(id)" + (fips ? ", FIPS" : "") + (dualStack ? ", dual-stack" : "")
            }
        let ignored = ignoredVariants.isEmpty ? "" : "; \(ignoredVariants.joined(separator: " and ")) not applied to a custom endpoint"
        return "\(url.absoluteString) (\(origin), signing region \(signingRegion)\(ignored))"
    }
}
