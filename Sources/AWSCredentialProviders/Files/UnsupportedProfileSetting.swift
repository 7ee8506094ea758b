import AWSCore
import AWSSigning
/// A chain link that stands where botocore would use a source this client does not implement
/// (console login).
///
/// When the profile or environment asks for such a source it fails loudly: quietly moving on
/// would hand the daemon some *other* identity (say, the instance role) than the one the AWS CLI
/// would use with the same settings.
struct UnsupportedProfileSetting: CredentialProvider, ListedOnlyWhenUsed {
    enum Kind: Sendable {
        case login
    }

    let kind: Kind
    let profile: String
    let locations: SharedFileLocations

    var sourceName: String {
        switch kind {
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
