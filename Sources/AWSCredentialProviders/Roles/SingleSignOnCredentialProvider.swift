import AWSCore
import AWSSigning
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// IAM Identity Center (SSO), as botocore's `SSOProvider` reads it: a profile with `sso_session`
/// (and an `[sso-session NAME]` section with `sso_start_url` and `sso_region`), or the legacy
/// form with `sso_start_url` and `sso_region` in the profile itself, plus `sso_account_id` and
/// `sso_role_name`. The access token is the one `aws sso login` cached under
/// `~/.aws/sso/cache/<sha1 of the session name or start URL>.json` (refreshed as botocore
/// refreshes it, see ``SingleSignOnToken``); it is exchanged for role credentials with the
/// portal's `GetRoleCredentials`. A login that has expired and cannot be refreshed needs
/// `aws sso login` again, and the message says so. Meant for people at a terminal (`status`,
/// `wait`); a daemon's credentials should not depend on someone logging in.
struct SingleSignOnCredentialProvider: CredentialProvider, ListedOnlyWhenUsed {
    let profile: String
    let locations: SharedFileLocations
    let environment: [String: String]
    let transport: HTTPTransport
    let now: @Sendable () -> Date

    var sourceName: String { "IAM Identity Center / SSO (profile \(profile))" }

    /// What a profile says about its SSO role.
    struct Settings: Equatable {
        var startURL: String
        var region: String
        var accountID: String
        var roleName: String
        /// The session name, or nil for the legacy form; the token cache is keyed by it.
        var session: String?
    }

    func credentials() async throws -> AWSCredentials {
        let profiles = try SharedProfiles.load(locations, source: sourceName)
        guard let settings = try ssoSettings(profiles) else {
            throw CredentialError.notConfigured(sourceName, "profile \(profile) sets no sso_account_id or sso_role_name")
        }
        let token = try await cachedToken(settings)
        return try await roleCredentials(settings, token: token)
    }

    private func invalid(_ message: String) -> CredentialError {
        CredentialError(.invalidConfiguration, source: sourceName, message: message)
    }

    private var loginHint: String {
        "run `aws sso login --profile \(profile)`"
    }

    func ssoSettings(_ profiles: SharedProfiles) throws(CredentialError) -> Settings? {
        guard let config = profiles.mergedProfile(profile),
              config["sso_account_id"] != nil || config["sso_role_name"] != nil || config["sso_session"] != nil else { return nil }
        var startURL = config["sso_start_url"]
        var region = config["sso_region"]
        let session = config["sso_session"]
        if let session {
            let sessions = SharedProfiles.namedSections(profiles.configFile?.contents?.sections ?? [], kind: "sso-session")
            guard let section = sessions[session] else {
                throw invalid("profile \(profile) names sso_session \(session), but the config file has no [sso-session \(session)] section")
            }
            if let fromProfile = startURL, let fromSession = section["sso_start_url"], fromProfile != fromSession {
                throw invalid("profile \(profile) and [sso-session \(session)] name different sso_start_url values")
            }
            startURL = section["sso_start_url"] ?? startURL
            region = section["sso_region"] ?? region
        }
        var missing: [String] = []
        if startURL == nil { missing.append("sso_start_url") }
        if region == nil { missing.append("sso_region") }
        if config["sso_account_id"] == nil { missing.append("sso_account_id") }
        if config["sso_role_name"] == nil { missing.append("sso_role_name") }
        guard let startURL, let region, let account = config["sso_account_id"], let role = config["sso_role_name"] else {
            throw invalid("profile \(profile) is set up for IAM Identity Center but lacks \(missing.joined(separator: ", ")); run `aws configure sso --profile \(profile)`")
        }
        return Settings(startURL: startURL, region: region, accountID: account, roleName: role, session: session)
    }

    /// The access token of the cached login, refreshed when it expires soon (see
    /// ``SingleSignOnToken``).
    private func cachedToken(_ settings: Settings) async throws(CredentialError) -> String {
        guard let home = environment["HOME"], !home.isEmpty else {
            throw CredentialError(.noCredentials, source: sourceName, message: "no HOME, so no SSO token cache to read; \(loginHint) as the user who runs this")
        }
        return try await SingleSignOnToken(
            settings: settings, home: home, environment: environment, transport: transport, now: now, source: sourceName,
            loginHint: loginHint
        ).accessToken()
    }

    /// `GetRoleCredentials`: the portal's exchange of the token for the role's credentials.
    private func roleCredentials(_ settings: Settings, token: String) async throws(CredentialError) -> AWSCredentials {
        let endpoint: ResolvedEndpoint
        do {
            endpoint = try EndpointResolver(endpointPrefix: "portal.sso", serviceID: "SSO").resolve(region: settings.region, environment: environment)
        } catch {
            throw invalid("no IAM Identity Center portal for sso_region \(settings.region): \(error.message)")
        }
        let base = endpoint.url.absoluteString.hasSuffix("/") ? String(endpoint.url.absoluteString.dropLast()) : endpoint.url.absoluteString
        let url = base + "/federation/credentials?account_id=\(AWSURIEncoding.encodePathLabel(settings.accountID))&role_name=\(AWSURIEncoding.encodePathLabel(settings.roleName))"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "x-amz-sso_bearer_token", value: token)
        let status: UInt
        let body: [UInt8]
        do {
            (status, body) = try await IdentityCenterHTTP.send(request, to: endpoint.url, transport: transport)
        } catch {
            throw CredentialError(error.isLasting ? .invalidConfiguration : .requestFailed, source: sourceName,
                                  message: "IAM Identity Center: " + error.message)
        }
        guard status == 200 else {
            let error = RestJSONErrorParser.parse(statusCode: Int(status), headers: [(String, String)](), body: body)
            let fix = error.code == "UnauthorizedException" || status == 401 ? loginHint
                : error.code == "ForbiddenException" || status == 403
                ? "check that your user may use role \(settings.roleName) in account \(settings.accountID)" : "try again later"
            throw CredentialError(status >= 500 ? .requestFailed : .invalidConfiguration, source: sourceName,
                                  message: "IAM Identity Center refused GetRoleCredentials for \(settings.roleName) in \(settings.accountID): \(error.code)\(error.message.map { " (\(ServiceErrorText.excerpt($0, limit: 200)))" } ?? ""); \(fix)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let role = object["roleCredentials"] as? [String: Any],
              let keyID = role["accessKeyId"] as? String, let secret = role["secretAccessKey"] as? String,
              let sessionToken = role["sessionToken"] as? String, let expiration = role["expiration"] as? NSNumber else {
            throw CredentialError(.invalidResponse, source: sourceName, message: "IAM Identity Center answered GetRoleCredentials without roleCredentials")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: sessionToken,
                              expiration: Date(timeIntervalSince1970: expiration.doubleValue / 1000))
    }
}
