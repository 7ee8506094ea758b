import AWSSigning
/// A chain link that stands where botocore would use a source this client does not implement
/// (assume-role, web identity, IAM Identity Center/SSO, console login).
///
/// When the profile or environment asks for such a source it fails loudly: quietly moving on
/// would hand the daemon some *other* identity (say, the instance role) than the one the AWS CLI
/// would use with the same settings.
struct UnsupportedProfileSetting: CredentialProvider {
    enum Kind: Sendable {
        case assumeRole
        case webIdentity
        case singleSignOn
        case login
    }

    let kind: Kind
    let profile: String
    let locations: SharedFileLocations
    let environment: [String: String]
    /// An explicitly chosen profile makes botocore ignore the web-identity environment variables.
    let ignoresEnvironment: Bool

    var sourceName: String {
        switch kind {
        case .assumeRole: "assume-role profile (profile \(profile))"
        case .webIdentity: "web identity (profile \(profile))"
        case .singleSignOn: "IAM Identity Center / SSO (profile \(profile))"
        case .login: "console login session (profile \(profile))"
        }
    }

    func credentials() async throws -> AWSCredentials {
        try check()
    }

    /// Always throws: `notConfigured` when the setting is absent, `unsupportedConfiguration` when present.
    func check() throws(CredentialError) -> Never {
        let settings = try SharedProfiles.load(locations, source: sourceName).mergedProfile(profile) ?? [:]
        let fix = "give the profile aws_access_key_id/aws_secret_access_key or a credential_process, "
            + "or pass the credentials another way"
        switch kind {
        case .assumeRole:
            // botocore leaves a profile with both role_arn and web_identity_token_file to web identity.
            if settings["role_arn"] != nil && settings["web_identity_token_file"] == nil {
                throw unsupported("profile \(profile) sets role_arn (assume-role), which this client does not support; \(fix)")
            }
        case .webIdentity:
            let fromEnvironment = ignoresEnvironment ? nil : environment["AWS_WEB_IDENTITY_TOKEN_FILE"]
            if let file = fromEnvironment ?? settings["web_identity_token_file"], !file.isEmpty {
                let origin = fromEnvironment != nil ? "AWS_WEB_IDENTITY_TOKEN_FILE is set" : "profile \(profile) sets web_identity_token_file"
                throw unsupported("\(origin) (assume-role with web identity), which this client does not support; \(fix)")
            }
        case .singleSignOn:
            if settings["sso_role_name"] != nil || settings["sso_account_id"] != nil {
                throw unsupported("profile \(profile) is set up for IAM Identity Center (sso_*), which this client does not support; \(fix)")
            }
        case .login:
            if settings["login_session"] != nil {
                throw unsupported("profile \(profile) sets login_session, which this client does not support; \(fix)")
            }
        }
        throw .notConfigured(sourceName, "not used by profile \(profile)")
    }

    private func unsupported(_ message: String) -> CredentialError {
        CredentialError(.unsupportedConfiguration, source: sourceName, message: message)
    }
}
