import AWSCore
import AWSSigning
import Foundation

/// Assume-role with web identity (`AssumeRoleWithWebIdentity`), as botocore's
/// `AssumeRoleWithWebIdentityProvider` sets it up: the token file from
/// `AWS_WEB_IDENTITY_TOKEN_FILE` or the profile's `web_identity_token_file`, the role from
/// `AWS_ROLE_ARN` or `role_arn`, the session name from `AWS_ROLE_SESSION_NAME` or
/// `role_session_name` (the environment first; skipped for a profile chosen explicitly). The token
/// file is read again at every refresh: whatever writes it (Kubernetes, an agent) renews it.
struct WebIdentityCredentialProvider: CredentialProvider, ListedOnlyWhenUsed {
    let profile: String
    let settings: RoleSessionSettings
    /// An explicitly chosen profile makes botocore ignore these environment variables.
    let ignoresEnvironment: Bool

    var sourceName: String { "web identity (profile \(profile))" }

    func credentials() async throws -> AWSCredentials {
        let profileSettings = try SharedProfiles.load(settings.locations, source: sourceName).mergedProfile(profile) ?? [:]
        func setting(_ variable: String, _ key: String) -> (value: String, origin: String)? {
            if !ignoresEnvironment, let value = settings.environment[variable], !value.isEmpty { return (value, variable) }
            if let value = profileSettings[key], !value.isEmpty { return (value, "\(key) in profile \(profile)") }
            return nil
        }
        guard let tokenFile = setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file") else {
            throw CredentialError.notConfigured(sourceName, "no web identity token file is configured")
        }
        guard let role = setting("AWS_ROLE_ARN", "role_arn") else {
            throw CredentialError(
                .invalidConfiguration, source: sourceName,
                message: "\(tokenFile.origin) names a web identity token, but no role is given to assume with it; set AWS_ROLE_ARN or role_arn")
        }
        let token: [UInt8]
        do {
            token = try SmallFile.contents(of: tokenFile.value, limit: 64 * 1024)
        } catch {
            // A missing token (not written yet, being rotated) may appear by itself.
            throw CredentialError(error.permissionDenied ? .unreadableFile : .requestFailed, source: sourceName,
                                  message: "the web identity token file \(tokenFile.value) (from \(tokenFile.origin)) \(error.reason)")
        }
        let text = String(decoding: token, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw CredentialError(.requestFailed, source: sourceName, message: "the web identity token file \(tokenFile.value) is empty")
        }
        let request = STSClient.RoleRequest(
            roleARN: role.value, sessionName: setting("AWS_ROLE_SESSION_NAME", "role_session_name")?.value ?? settings.defaultSessionName())
        return try await settings.stsClient(source: sourceName).assumeRoleWithWebIdentity(request, token: text)
    }
}
