import AWSCore
import AWSSigning
import Foundation

/// A profile that assumes a role (`role_arn`) with the credentials of another profile
/// (`source_profile`, itself possibly assuming a role: role chaining) or of a source on this
/// machine (`credential_source`: `Environment`, `Ec2InstanceMetadata`, `EcsContainer`), as
/// botocore's `AssumeRoleProvider` resolves it. `external_id`, `role_session_name` (default
/// `botocore-session-<epoch seconds>`) and `duration_seconds` go to STS; `mfa_serial` is refused,
/// since a daemon cannot ask for a code.
struct AssumeRoleCredentialProvider: CredentialProvider, ListedOnlyWhenUsed {
    let profile: String
    let settings: RoleSessionSettings

    var sourceName: String { "assume-role profile (profile \(profile))" }

    /// botocore's `CANONICAL_NAME` values for `credential_source`.
    static let credentialSources = ["Environment", "Ec2InstanceMetadata", "EcsContainer"]

    func credentials() async throws -> AWSCredentials {
        let profiles = try SharedProfiles.load(settings.locations, source: sourceName)
        guard let own = profiles.mergedProfile(profile), Self.assumesRole(own) else {
            throw CredentialError.notConfigured(sourceName, "profile \(profile) sets no role_arn")
        }
        return try await assumeRole(of: profile, profiles: profiles, visited: [])
    }

    /// botocore's `_has_assume_role_config_vars`: a role, and not one for web identity.
    static func assumesRole(_ profile: [String: String]) -> Bool {
        profile["role_arn"] != nil && profile["web_identity_token_file"] == nil
    }

    static func hasStaticKeys(_ profile: [String: String]) -> Bool {
        profile["aws_access_key_id"] != nil && profile["aws_secret_access_key"] != nil
    }

    private func assumeRole(of name: String, profiles: SharedProfiles, visited: [String]) async throws -> AWSCredentials {
        func invalid(_ message: String) -> CredentialError {
            CredentialError(.invalidConfiguration, source: sourceName, message: message)
        }
        let config = profiles.mergedProfile(name) ?? [:]
        guard let role = config["role_arn"], !role.isEmpty else {
            throw invalid("profile \(name) sets an empty role_arn")
        }
        if config["mfa_serial"] != nil {
            throw CredentialError(
                .unsupportedConfiguration, source: sourceName,
                message: "profile \(name) sets mfa_serial: assuming \(role) needs an MFA code, which the watcher cannot ask for; "
                    + "give the watcher a role whose trust policy does not require MFA, or pass it temporary credentials made with one")
        }
        var duration: Int?
        if let text = config["duration_seconds"] {
            guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds > 0 else {
                throw invalid("duration_seconds in profile \(name) is '\(ServiceErrorText.excerpt(text, limit: 40))', not a number of seconds (900 up to the role's maximum session)")
            }
            duration = seconds
        }
        let source: AWSCredentials
        switch (config["source_profile"], config["credential_source"]) {
        case (.some, .some):
            throw invalid("profile \(name) sets both source_profile and credential_source; keep one")
        case (nil, nil):
            throw invalid("profile \(name) sets role_arn but neither source_profile nor credential_source, so nothing says whose credentials assume \(role)")
        case (nil, .some(let kind)):
            source = try await credentials(fromSource: kind, profile: name)
        case (.some(let sourceProfile), nil):
            source = try await credentials(ofSourceProfile: sourceProfile, for: name, profiles: profiles, visited: visited)
        }
        let request = STSClient.RoleRequest(
            roleARN: role, sessionName: config["role_session_name"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.defaultSessionName(),
            externalID: config["external_id"], durationSeconds: duration)
        return try await settings.stsClient(source: sourceName).assumeRole(request, with: source)
    }

    private func credentials(fromSource kind: String, profile name: String) async throws -> AWSCredentials {
        let provider: any CredentialProvider
        switch kind {
        case "Environment":
            provider = EnvironmentCredentialProvider(environment: settings.environment)
        case "Ec2InstanceMetadata":
            provider = InstanceMetadataCredentialProvider(
                environment: settings.environment, transport: settings.transport, endpoint: nil, profile: profile,
                locations: settings.locations, now: settings.now)
        case "EcsContainer":
            provider = ContainerCredentialProvider(environment: settings.environment, transport: settings.transport)
        default:
            throw CredentialError(
                .invalidConfiguration, source: sourceName,
                message: "credential_source in profile \(name) is '\(ServiceErrorText.excerpt(kind, limit: 40))'; it must be one of \(Self.credentialSources.joined(separator: ", "))")
        }
        do {
            return try await provider.credentials()
        } catch let error as CredentialError where error.code == .notConfigured {
            throw CredentialError(
                .noCredentials, source: sourceName,
                message: "profile \(name) takes its source credentials from \(kind) (credential_source), which has none: \(error.message)")
        }
    }

    /// A source profile's credentials: its own (static keys, web identity, a
    /// `credential_process`), or, when it only assumes a role itself, that role's.
    private func credentials(ofSourceProfile source: String, for name: String, profiles: SharedProfiles, visited: [String]) async throws -> AWSCredentials {
        guard let config = profiles.mergedProfile(source) else {
            throw CredentialError(
                .invalidConfiguration, source: sourceName,
                message: "source_profile \(source) of profile \(name) is not defined in \(profiles.summaries.joined(separator: " or "))")
        }
        // A profile may name itself as its source, to keep its keys and its role together.
        if source != name, visited.contains(source) {
            let loop = (visited + [name, source]).joined(separator: " -> ")
            throw CredentialError(
                .invalidConfiguration, source: sourceName,
                message: "the source profiles go round in a loop (\(loop)); make one of them hold credentials of its own")
        }
        if source != name, !Self.hasStaticKeys(config), Self.assumesRole(config) {
            return try await assumeRole(of: source, profiles: profiles, visited: visited + [name])
        }
        let chain = CredentialChain(providers: [
            WebIdentityCredentialProvider(profile: source, settings: settings, ignoresEnvironment: true),
            SharedFileCredentialProvider(.credentials, profile: source, path: settings.locations.credentialsFile),
            ProcessCredentialProvider(
                profile: source, environment: settings.environment, timeout: settings.processTimeout,
                ownProcessGroup: settings.processOwnProcessGroup, sleep: settings.sleep),
            SharedFileCredentialProvider(.config, profile: source, path: settings.locations.configFile),
        ])
        do {
            return try await chain.credentials()
        } catch let error as CredentialError where error.code == .noCredentials {
            throw CredentialError(
                .noCredentials, source: sourceName,
                message: "source_profile \(source) of profile \(name) has no credentials of its own (keys, credential_process or web identity)")
        }
    }
}
