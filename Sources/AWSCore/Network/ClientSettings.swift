public import Model

/// Everything about how the AWS client connects and retries, resolved once from the
/// configuration, the environment and the selected profile, in botocore's precedence: an
/// explicit setting, then the environment, then the profile.
///
/// Resolved at start-up, on every reload and by `check-config`; a setting that cannot be used
/// (a missing CA bundle, a proxy URL that does not parse, `AWS_MAX_ATTEMPTS=three`) is an
/// error then, never a failure of each request later.
public struct ClientSettings: Sendable, Equatable {
    public var network: NetworkSettings
    public var retry: RetrySettings
    /// The profile whose settings were read.
    public var profile: ProfileSelection

    public init(network: NetworkSettings = .direct, retry: RetrySettings = RetrySettings(), profile: ProfileSelection) {
        self.network = network
        self.retry = retry
        self.profile = profile
    }

    /// Things worth a warning that do not stop the client.
    public var warnings: [String] {
        var warnings: [String] = []
        if let modeWarning = retry.modeWarning { warnings.append(modeWarning) }
        if case .system = network.trust.source, TrustSettings.systemStorePath == nil {
            warnings.append("this machine has no CA store (/etc/ssl/certs/ca-certificates.crt): HTTPS connections cannot be verified; install the ca-certificates package, or set aws.caBundle or AWS_CA_BUNDLE")
        }
        return warnings
    }

    /// Resolves every setting, reporting all problems at once.
    public static func resolve(aws: AWSOptions, environment: [String: String]) throws(ClientSettingsError) -> ClientSettings {
        let profile = ProfileSelection(configured: aws.profile, environment: environment)
        var problems: [NetworkSettingsError] = []
        var profileValues: [String: String] = [:]
        do {
            let profiles = try SharedProfiles.load(SharedFileLocations(environment: environment), source: "the shared config")
            profileValues = profiles.mergedProfile(profile.name) ?? [:]
        } catch {
            problems.append(NetworkSettingsError(
                error.message, fix: "correct the file, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere",
                setting: "the shared config and credentials files"))
        }

        var trust = TrustSettings.system
        let candidates: [(path: String?, setting: String)] = [
            (aws.caBundle, "aws.caBundle/--ca-bundle"),
            (environment["AWS_CA_BUNDLE"], "AWS_CA_BUNDLE"),
            (profileValues["ca_bundle"], "ca_bundle in \(profile.label)"),
            (environment["SSL_CERT_FILE"], "SSL_CERT_FILE"),
        ]
        if let chosen = candidates.first(where: { !($0.path ?? "").isEmpty }), let path = chosen.path {
            do {
                trust = try TrustSettings.bundle(at: path, setting: chosen.setting)
            } catch {
                problems.append(error)
            }
        }

        var environmentProxies = ProxySettings.direct
        do {
            environmentProxies = try ProxySettings.fromEnvironment(environment)
        } catch {
            problems.append(error)
        }
        var serviceProxies = environmentProxies
        if let configured = aws.proxy {
            do {
                serviceProxies = try ProxySettings(configured)
            } catch {
                problems.append(error)
            }
        }

        var retry = RetrySettings()
        do {
            retry = try RetrySettings.resolve(environment: environment, profile: profileValues, profileLabel: profile.label)
        } catch {
            problems.append(error)
        }
        guard problems.isEmpty else { throw ClientSettingsError(problems: problems) }
        return ClientSettings(
            network: NetworkSettings(trust: trust, serviceProxies: serviceProxies, environmentProxies: environmentProxies),
            retry: retry, profile: profile)
    }
}

/// Settings that cannot be used, every one of them.
public struct ClientSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [NetworkSettingsError]

    /// One line, for logs and `STATUS=`: the problems joined by "; and ".
    public var description: String {
        problems.map(\.description).joined(separator: "; and ")
    }
}

extension ProxySettings {
    /// The configuration file's proxies.
    init(_ options: ProxyOptions) throws(NetworkSettingsError) {
        self.init(
            https: try options.https.map { url throws(NetworkSettingsError) in try ProxyServer(parsing: url, setting: "aws.proxy.https") },
            http: try options.http.map { url throws(NetworkSettingsError) in try ProxyServer(parsing: url, setting: "aws.proxy.http") },
            noProxy: options.noProxy.isEmpty ? nil : NoProxyList(options.noProxy.joined(separator: ","), setting: "aws.proxy.noProxy")
        )
    }
}
