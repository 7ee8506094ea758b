import Foundation

/// The endpoint settings a profile of the shared config file holds, as botocore reads them; the
/// environment's variables come before them.
///
/// - `endpoint_url`: every service's endpoint, after `AWS_ENDPOINT_URL_<SERVICE>` and
///   `AWS_ENDPOINT_URL`, and after the profile's services section;
/// - `services = NAME` and a `[services NAME]` section whose nested blocks name one service each
///   (`sts =` then an indented `endpoint_url = …`): that service's endpoint;
/// - `use_fips_endpoint`, `use_dualstack_endpoint`, `ignore_configured_endpoint_urls`.
public struct ProfileEndpointSettings: Sendable, Equatable {
    /// "profile prod", for messages.
    public var label: String
    /// `endpoint_url`.
    public var endpointURL: String?
    /// `services`: the name of the `[services NAME]` section the profile uses.
    public var servicesName: String?
    /// That section's blocks: service key (`sts`, `cognito_sync`) to its settings.
    public var serviceBlocks: [String: [String: String]] = [:]
    public var useFIPS: Bool?
    public var useDualStack: Bool?
    public var ignoreConfiguredEndpointURLs: Bool?

    public init(label: String) {
        self.label = label
    }

    /// The service's `endpoint_url` in the services section, with the setting's name for messages.
    func serviceEndpointURL(forKey key: String) -> (url: String, setting: String)? {
        guard let name = servicesName, let url = serviceBlocks[key]?["endpoint_url"], !url.isEmpty else { return nil }
        return (url, "\(key) endpoint_url in [services \(name)] (\(label))")
    }

    /// Reads the settings of `profile`'s section of the config file.
    ///
    /// - Throws: when the profile names a services section that does not exist (botocore's
    ///   `InvalidConfigError`), or a flag is neither true nor false.
    package static func read(
        profile: String, from profiles: SharedProfiles
    ) throws(EndpointConfigurationError) -> ProfileEndpointSettings? {
        guard let settings = profiles.mergedProfile(profile) else { return nil }
        var result = ProfileEndpointSettings(label: "profile \(profile)")
        result.endpointURL = settings["endpoint_url"].flatMap { $0.isEmpty ? nil : $0 }
        func flag(_ key: String) throws(EndpointConfigurationError) -> Bool? {
            try EndpointResolver.boolean(settings[key], setting: "\(key) in \(result.label)", fix: "remove it")
        }
        result.useFIPS = try flag("use_fips_endpoint")
        result.useDualStack = try flag("use_dualstack_endpoint")
        result.ignoreConfiguredEndpointURLs = try flag("ignore_configured_endpoint_urls")
        if let name = settings["services"] {
            guard let section = profiles.servicesSection(name) else {
                throw EndpointConfigurationError(
                    .missingServicesSection,
                    "\(result.label) names services \(name), but the config file has no [services \(name)] section; add it or remove the services line.")
            }
            result.servicesName = name
            result.serviceBlocks = section.compactMapValues(Self.nestedBlock)
        }
        return result
    }

    /// botocore's `_parse_nested`: the indented `key = value` lines under a key whose value
    /// starts on the next line; nil for a plain value.
    static func nestedBlock(_ value: String) -> [String: String]? {
        guard value.hasPrefix("\n") else { return nil }
        var block: [String: String] = [:]
        for line in value.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, let equals = trimmed.firstIndex(of: "=") else { continue }
            block[trimmed[..<equals].trimmingCharacters(in: .whitespaces)] =
                trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return block
    }
}
