import Foundation

/// Resolves the endpoint URL for a service and region the way botocore's endpoint ruleset and configuration do.
///
/// Precedence: an explicit endpoint URL, then `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`,
/// then the profile's services section's `<service> endpoint_url`, then the profile's
/// `endpoint_url` (botocore's `ConfiguredEndpointProvider`; all skipped when
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's `ignore_configured_endpoint_urls` is
/// true), then the partition's standard, FIPS or dual-stack endpoint. A custom endpoint together with FIPS or dual-stack is an error, as
/// the service's ruleset says.
public struct EndpointResolver: Sendable {
    /// The endpoint prefix, e.g. `cognito-sync`.
    public let endpointPrefix: String
    /// The service-specific override variable, e.g. `AWS_ENDPOINT_URL_COGNITO_SYNC`.
    public let serviceEndpointVariable: String
    /// The service's key in a `[services NAME]` section, e.g. `cognito_sync`.
    public let servicesKey: String

    /// The resolver for Amazon Cognito Sync.
    public static let cognitoSync = EndpointResolver(endpointPrefix: "cognito-sync", serviceID: "Cognito Sync")

    /// Creates a resolver; the override variable is derived from the service id as botocore does
    /// (`Cognito Sync` → `AWS_ENDPOINT_URL_COGNITO_SYNC`).
    public init(endpointPrefix: String, serviceID: String) {
        self.endpointPrefix = endpointPrefix
        let transformed = serviceID.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        self.serviceEndpointVariable = "AWS_ENDPOINT_URL_" + transformed.uppercased()
        self.servicesKey = transformed.lowercased()
    }

    /// Resolves the endpoint for `region`; explicit settings beat `environment`.
    public func resolve(
        region: String,
        settings: EndpointSettings = EndpointSettings(),
        environment: [String: String]
    ) throws(EndpointConfigurationError) -> ResolvedEndpoint {
        try Self.validate(region: region)
        let useFIPS = try Self.flag(settings.useFIPS, "AWS_USE_FIPS_ENDPOINT", settings.profile?.useFIPS, in: environment)
        let useDualStack = try Self.flag(
            settings.useDualStack, "AWS_USE_DUALSTACK_ENDPOINT", settings.profile?.useDualStack, in: environment)

        if let (text, source, origin) = try customEndpoint(settings: settings, environment: environment) {
            // As botocore: a custom endpoint turns FIPS and dual-stack off (it sets both to
            // false before the endpoint rules run), so a fleet-wide AWS_USE_FIPS_ENDPOINT does
            // not stop a tool pointed at a local endpoint. The description says so.
            let url = try EndpointURLValidation.validate(text, origin: origin)
            let ignored = (useFIPS ? ["FIPS"] : []) + (useDualStack ? ["dual-stack"] : [])
            return ResolvedEndpoint(url: url, source: source, signingRegion: region, ignoredVariants: ignored)
        }

        let partition = AWSPartition.partition(for: region)
        if useFIPS && !partition.supportsFIPS {
            throw EndpointConfigurationError(
                .fipsNotSupported,
                "FIPS is enabled but partition \(partition.id) (region \(region)) has no FIPS endpoint."
            )
        }
        if useDualStack && !partition.supportsDualStack {
            throw EndpointConfigurationError(
                .dualStackNotSupported,
                "Dual-stack is enabled but partition \(partition.id) (region \(region)) has no dual-stack endpoint."
            )
        }
        let host =
            (useFIPS ? "\(endpointPrefix)-fips" : endpointPrefix) + ".\(region)."
            + (useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix)
        guard let url = URL(string: "https://\(host)") else {
            throw EndpointConfigurationError(.invalidRegion, "Region \"\(region)\" does not form a valid host name.")
        }
        return ResolvedEndpoint(
            url: url,
            source: .partition(id: partition.id, fips: useFIPS, dualStack: useDualStack),
            signingRegion: region
        )
    }

    /// The endpoint URL set outside the code, the source that set it, and its name for messages.
    package func customEndpoint(
        settings: EndpointSettings,
        environment: [String: String]
    ) throws(EndpointConfigurationError) -> (String, ResolvedEndpoint.Source, String)? {
        if let explicit = settings.endpointURL, !explicit.isEmpty {
            return (explicit, .explicit, "the configured endpoint")
        }
        let ignore = try Self.flag(
            settings.ignoreConfiguredEndpointURLs,
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            settings.profile?.ignoreConfiguredEndpointURLs,
            in: environment
        )
        guard !ignore else {
            return nil
        }
        // An empty variable counts as unset, as in botocore.
        for variable in [serviceEndpointVariable, "AWS_ENDPOINT_URL"] {
            if let value = environment[variable], !value.isEmpty {
                return (value, .environment(variable: variable), variable)
            }
        }
        if let profile = settings.profile {
            if let (url, setting) = profile.serviceEndpointURL(forKey: servicesKey) {
                return (url, .profile(setting: setting), setting)
            }
            if let url = profile.endpointURL {
                let setting = "endpoint_url in \(profile.label)"
                return (url, .profile(setting: setting), setting)
            }
        }
        return nil
    }

    /// A region must be a DNS label, as botocore's `validate_region_name` requires.
    ///
    /// Upper case is refused too (botocore lets it through): the credential scope is compared with
    /// the lower-case region, so such a region could never sign a valid request.
    static func validate(region: String) throws(EndpointConfigurationError) {
        guard !region.isEmpty else {
            throw EndpointConfigurationError(
                .missingRegion,
                "No region is known for this call; a pool's region is the part of its id before ':' "
                    + "(us-east-1:…), or aws.region / --region, or the pool's own region in the configuration"
            )
        }
        let valid =
            region.utf8.count <= 63 && region.first != "-" && region.last != "-"
            && region.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            && !region.allSatisfy { ("0"..."9").contains($0) }
        guard valid else {
            let shown = EndpointURLValidation.redacted(region)
            throw EndpointConfigurationError(
                .invalidRegion,
                "Region \(shown) is not valid: use lower-case letters, digits and '-', like us-east-1."
            )
        }
    }

    /// The explicit value if there is one, else the variable's, else the profile's, else `false`.
    private static func flag(
        _ explicit: Bool?,
        _ variable: String,
        _ fromProfile: Bool?,
        in environment: [String: String]
    ) throws(EndpointConfigurationError) -> Bool {
        if let explicit {
            return explicit
        }
        return try boolean(variable, in: environment) ?? fromProfile ?? false
    }

    /// `true`/`false` in any case; unset or empty is `nil`; anything else is an error naming the variable.
    static func boolean(
        _ variable: String,
        in environment: [String: String]
    ) throws(EndpointConfigurationError) -> Bool? {
        try boolean(environment[variable], setting: variable, fix: "unset it")
    }

    /// `value` as a flag: `true`/`false` in any case; nil or empty is `nil`; anything else is an
    /// error naming `setting` and ending with `fix` as the other way out.
    static func boolean(_ value: String?, setting: String, fix: String) throws(EndpointConfigurationError) -> Bool? {
        guard let value, !value.isEmpty else {
            return nil
        }
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw EndpointConfigurationError(
                .invalidBoolean,
                "\(setting) is \(EndpointURLValidation.redacted(value)); set it to true or false, or \(fix)."
            )
        }
    }
}
