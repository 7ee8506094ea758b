public import AWSCore
public import Foundation
public import AWSSigning
public import Model

/// Credentials together with the source that supplied them.
public struct ResolvedCredentials: Sendable, CustomStringConvertible {
    public let credentials: AWSCredentials
    /// The provider that answered; wrap it in ``RefreshingCredentials`` to keep them fresh.
    public let provider: any CredentialProvider
    /// What the user should fix though credentials were found: a shared file that could not be
    /// read and was skipped, keys in a file others may read.
    public let warnings: [String]

    public init(credentials: AWSCredentials, provider: any CredentialProvider, warnings: [String] = []) {
        self.credentials = credentials
        self.provider = provider
        self.warnings = warnings
    }

    /// For the "using credentials from …" log line.
    public var sourceName: String { provider.sourceName }

    public var description: String { "\(credentials) from \(sourceName)" }
}

/// botocore's default credential chain, as far as it applies to a daemon, plus systemd
/// credentials.
///
/// Order (first source that has credentials wins; a source that is set up but broken stops the
/// search, as in botocore):
/// 1. environment (`AWS_ACCESS_KEY_ID`…) — skipped when a profile is passed explicitly (the
///    `--profile` rule of `botocore.credentials.create_credential_resolver`; `AWS_PROFILE` does
///    not skip it);
/// 2. an assume-role profile (`role_arn` with `source_profile` or `credential_source`), then web
///    identity (`AWS_WEB_IDENTITY_TOKEN_FILE` or `web_identity_token_file`), both through STS;
///    then IAM Identity Center (SSO) with the token `aws sso login` cached;
/// 3. the shared credentials file's `[profile]`;
/// 4. console-login settings — an error if present;
/// 5. the profile's `credential_process`;
/// 6. the config file's `[profile name]` static keys;
/// 7. the systemd credential (`$CREDENTIALS_DIRECTORY/aws-credentials`, same format, same profile);
/// 8. the container endpoint (ECS/EKS);
/// 9. EC2 instance metadata.
///
/// The profile is the one passed in, else `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`, else
/// `default`. A profile named either way must exist in one of the files (botocore's
/// `ProfileNotFound`); `default` may be absent. botocore's legacy sources (`AWS_CREDENTIAL_FILE`,
/// `~/.boto`) are left out.
public struct CredentialChain: CredentialProvider {
    /// Knobs a daemon or a test may turn; the defaults are botocore's.
    public struct Options: Sendable {
        /// The file name under `$CREDENTIALS_DIRECTORY`.
        public var systemdCredentialName: String
        /// How long a `credential_process` may run.
        public var processTimeout: Duration
        /// Whether a `credential_process` runs in a process group of its own, killed whole at its
        /// timeout or when the call is cancelled (see ``ProcessCredentialProvider``): for the
        /// daemon, which has no terminal whose Ctrl-C should reach the helper.
        public var processOwnProcessGroup: Bool
        /// What `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is appended to.
        public var containerBaseURL: String
        /// Pause between container endpoint attempts.
        public var containerRetryDelay: Duration
        /// Instance metadata endpoint overriding the environment's.
        public var instanceMetadataEndpoint: String?
        /// The clock the instance metadata source judges expiry with.
        public var now: @Sendable () -> Date
        /// How every source waits: between retries, and for a `credential_process` timeout.
        public var sleep: Sleep

        public init(
            systemdCredentialName: String = SystemdCredentialProvider.defaultName,
            processTimeout: Duration = ProcessCredentialProvider.defaultTimeout,
            processOwnProcessGroup: Bool = false,
            containerBaseURL: String = ContainerCredentialProvider.defaultBaseURL,
            containerRetryDelay: Duration = .seconds(1),
            instanceMetadataEndpoint: String? = nil,
            now: @escaping @Sendable () -> Date = { Date() },
            sleep: @escaping Sleep = taskSleep
        ) {
            self.systemdCredentialName = systemdCredentialName
            self.processTimeout = processTimeout
            self.processOwnProcessGroup = processOwnProcessGroup
            self.containerBaseURL = containerBaseURL
            self.containerRetryDelay = containerRetryDelay
            self.instanceMetadataEndpoint = instanceMetadataEndpoint
            self.now = now
            self.sleep = sleep
        }
    }

    /// Which profile the chain reads and whether someone named it.
    private struct ProfileChoice: Sendable {
        var name: String
        /// Where the name came from, for the "not found" message; nil for the implicit `default`.
        var origin: String?
        var locations: SharedFileLocations
        var systemd: SystemdCredentialProvider
    }

    public let sourceName = "default credential chain"
    /// The sources in the order they are tried.
    public let providers: [any CredentialProvider]
    private let profileChoice: ProfileChoice?
    private let systemdCredentialName: String
    /// Where and how roles are assumed for this chain's profile; nil for a chain of one's own.
    private let roleSettings: RoleSessionSettings?

    /// The default chain.
    ///
    /// - Parameters:
    ///   - environment: the process environment, handed in.
    ///   - transport: used for the container and instance metadata endpoints; the container
    ///     endpoint is always reached directly, instance metadata through the environment's
    ///     proxies unless `NO_PROXY` covers it, as in botocore.
    ///   - profile: a profile chosen explicitly (a `--profile` option or the configuration file);
    ///     nil to take it from the environment.
    public init(environment: [String: String], transport: HTTPTransport, profile: String? = nil, options: Options = Options()) {
        let selection = ProfileSelection(configured: profile, environment: environment)
        let (name, origin, explicit) = (selection.name, selection.origin, selection.isExplicit)
        let locations = SharedFileLocations(environment: environment)
        let systemd = SystemdCredentialProvider(name: options.systemdCredentialName, profile: name, environment: environment)
        func unsupported(_ kind: UnsupportedProfileSetting.Kind) -> UnsupportedProfileSetting {
            UnsupportedProfileSetting(kind: kind, profile: name, locations: locations)
        }
        let roles = RoleSessionSettings(
            profile: name, locations: locations, environment: environment, transport: transport, now: options.now,
            processTimeout: options.processTimeout, processOwnProcessGroup: options.processOwnProcessGroup, sleep: options.sleep)
        var providers: [any CredentialProvider] = []
        if !explicit {
            providers.append(EnvironmentCredentialProvider(environment: environment))
        }
        providers += [
            AssumeRoleCredentialProvider(profile: name, settings: roles),
            WebIdentityCredentialProvider(profile: name, settings: roles, ignoresEnvironment: explicit),
            SingleSignOnCredentialProvider(profile: name, locations: locations, environment: environment, transport: transport, now: options.now),
            SharedFileCredentialProvider(.credentials, profile: name, path: locations.credentialsFile),
            unsupported(.login),
            ProcessCredentialProvider(
                profile: name, environment: environment, timeout: options.processTimeout,
                ownProcessGroup: options.processOwnProcessGroup, sleep: options.sleep),
            SharedFileCredentialProvider(.config, profile: name, path: locations.configFile),
            systemd,
            ContainerCredentialProvider(
                environment: environment, transport: transport, baseURL: options.containerBaseURL,
                retryDelay: options.containerRetryDelay, sleep: options.sleep),
            InstanceMetadataCredentialProvider(
                environment: environment, transport: transport, endpoint: options.instanceMetadataEndpoint,
                profile: name, locations: locations, now: options.now),
        ]
        self.providers = providers
        self.profileChoice = ProfileChoice(name: name, origin: origin, locations: locations, systemd: systemd)
        self.systemdCredentialName = options.systemdCredentialName
        self.roleSettings = roles
    }

    /// A chain of your own sources, tried in order, with no profile check.
    public init(providers: [any CredentialProvider]) {
        self.providers = providers
        self.profileChoice = nil
        self.systemdCredentialName = SystemdCredentialProvider.defaultName
        self.roleSettings = nil
    }

    /// A source that assumes `role` with the credentials this chain resolves, through the STS
    /// endpoint its profile's settings name: a pool's own `roleArn`.
    public func assuming(role: String) -> any CredentialProvider {
        RoleOverSourceCredentialProvider(source: self, role: role, settings: roleSettings)
    }

    /// The profile the chain reads.
    public var profile: String? { profileChoice?.name }

    public func credentials() async throws -> AWSCredentials {
        try await resolve().credentials
    }

    /// Tries each source in order and says which one answered.
    public func resolve() async throws -> ResolvedCredentials {
        try checkNamedProfileExists()
        var skipped: [CredentialError] = []
        for provider in providers {
            do {
                let credentials = try await provider.credentials()
                return ResolvedCredentials(credentials: credentials, provider: provider, warnings: warnings(answeredBy: provider))
            } catch let error as CredentialError where error.code == .notConfigured {
                if !(provider is any ListedOnlyWhenUsed) {
                    skipped.append(error)
                }
            }
        }
        throw CredentialError(.noCredentials, source: sourceName, message: noCredentialsMessage(skipped))
    }

    /// The shared files skipped as unreadable, and the answering file's access warning.
    private func warnings(answeredBy provider: any CredentialProvider) -> [String] {
        var warnings: [String] = []
        if let choice = profileChoice, let profiles = try? SharedProfiles.load(choice.locations, source: sourceName) {
            warnings += profiles.unreadableWarnings
        }
        if let file = provider as? SharedFileCredentialProvider, let path = file.path,
           let warning = CredentialFileAccess.warning(forFileAt: path) {
            warnings.append(warning)
        }
        return warnings
    }

    /// botocore refuses to start with a profile that was asked for by name but is defined nowhere.
    private func checkNamedProfileExists() throws(CredentialError) {
        guard let choice = profileChoice, let origin = choice.origin else { return }
        let profiles = try SharedProfiles.load(choice.locations, source: sourceName)
        if profiles.mergedProfile(choice.name) != nil {
            return
        }
        if let sections = try choice.systemd.profileNames(), sections.contains(choice.name) {
            return
        }
        var lookedIn = profiles.summaries
        if let path = choice.systemd.path {
            lookedIn.append(FileManager.default.fileExists(atPath: path) ? path : "\(path) (no such file)")
        }
        let places = lookedIn.isEmpty ? "no credentials or config file could be found (HOME is not set)" : "looked in " + lookedIn.joined(separator: ", ")
        throw CredentialError(
            .profileNotFound, source: sourceName,
            message: "profile \"\(choice.name)\" (from \(origin)) is not defined; \(places)")
    }

    private func noCredentialsMessage(_ skipped: [CredentialError]) -> String {
        let tried = skipped.map { "\($0.source): \($0.message)" }.joined(separator: "; ")
        let profile = profileChoice?.name ?? "default"
        let section = profile == "default" ? "[default]" : "[\(profile)]"
        return "no AWS credentials found (tried \(tried)). To fix, do one of: set AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY (e.g. with EnvironmentFile= in the unit); add "
            + "LoadCredential=\(systemdCredentialName):/path/to/credentials to the unit, the file holding a \(section) "
            + "section with aws_access_key_id and aws_secret_access_key; put that section in ~/.aws/credentials "
            + "(needs HOME, e.g. User= in the unit); or run where an instance or task role is available"
    }
}
