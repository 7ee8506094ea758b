import AWSCore
import Foundation

/// Where STS calls go, decided as botocore decides it for an STS client.
///
/// A configured endpoint first: `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then the
/// profile's services section's `sts` block, then the profile's `endpoint_url` (a simulator's,
/// a VPC endpoint's). Otherwise the regional endpoint
/// `https://sts.REGION.amazonaws.com` (`sts_regional_endpoints = regional`, botocore's default),
/// or the global `https://sts.amazonaws.com` when no region is configured or when
/// `sts_regional_endpoints = legacy` and the region is one of those the global endpoint served
/// before regional ones existed.
struct STSEndpoint: Sendable, Equatable {
    var url: URL
    /// The region in the signature's scope.
    var signingRegion: String

    /// botocore's `LEGACY_GLOBAL_STS_REGIONS`.
    static let legacyGlobalRegions: Set<String> = [
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
        "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1",
        "us-east-2", "us-west-1", "us-west-2",
    ]

    static let global = STSEndpoint(url: URL(string: "https://sts.amazonaws.com")!, signingRegion: "us-east-1")

    /// - Parameters:
    ///   - region: the profile's `region`, else `AWS_DEFAULT_REGION`; nil when neither is set.
    ///   - profile: the selected profile's settings.
    ///   - endpoints: the profile's endpoint settings (`endpoint_url`, its services section's
    ///     `sts` block), read as for every other service.
    static func resolve(
        region: String?, profile: [String: String], profileLabel: String, endpoints: ProfileEndpointSettings?,
        environment: [String: String], source: String
    ) throws(CredentialError) -> STSEndpoint {
        func invalid(_ message: String) -> CredentialError {
            CredentialError(.invalidConfiguration, source: source, message: message)
        }
        let resolver = EndpointResolver(endpointPrefix: "sts", serviceID: "STS")
        let settings = EndpointSettings(profile: endpoints)
        do {
            if try resolver.customEndpoint(settings: settings, environment: environment) != nil {
                let resolved = try resolver.resolve(region: region ?? "us-east-1", settings: settings, environment: environment)
                return STSEndpoint(url: resolved.url, signingRegion: resolved.signingRegion)
            }
        } catch {
            throw invalid(error.message)
        }
        let modeSetting = environment["AWS_STS_REGIONAL_ENDPOINTS"].map { ($0, "AWS_STS_REGIONAL_ENDPOINTS") }
            ?? profile["sts_regional_endpoints"].map { ($0, "sts_regional_endpoints in \(profileLabel)") }
        var legacy = false
        if let (mode, setting) = modeSetting {
            switch mode.lowercased() {
            case "regional": legacy = false
            case "legacy": legacy = true
            default:
                throw invalid("\(setting) is '\(ServiceErrorText.excerpt(mode, limit: 40))'; it must be regional or legacy")
            }
        }
        guard let region, !(legacy && legacyGlobalRegions.contains(region)) else { return .global }
        do {
            let resolved = try resolver.resolve(region: region, settings: settings, environment: environment)
            return STSEndpoint(url: resolved.url, signingRegion: resolved.signingRegion)
        } catch {
            throw invalid("no STS endpoint for region \(region): \(error.message)")
        }
    }
}
