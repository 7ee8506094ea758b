import AWSCore
import AWSSigning
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// IAM Identity Center (SSO), as botocore's `SSOProvider` reads it: a profile with `sso_session`
/// (and an `[sso-session NAME]` section with `sso_start_url` and `sso_region`), or the legacy
/// form with `sso_start_url` and `sso_region` in the profile itself, plus `sso_account_id` and
/// `sso_role_name`. The access token is the one `aws sso login` cached under
/// `~/.aws/sso/cache/<sha1 of the session name or start URL>.json`; it is exchanged for role
/// credentials with the portal's `GetRoleCredentials`. An expired token is not refreshed here:
/// the message says to run `aws sso login` again. Meant for people at a terminal (`status`,
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
        let token = try cachedToken(settings)
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

    /// The cached access token of `aws sso login`, if it is still valid.
    private func cachedToken(_ settings: Settings) throws(CredentialError) -> String {
        guard let home = environment["HOME"], !home.isEmpty else {
            throw CredentialError(.noCredentials, source: sourceName, message: "no HOME, so no SSO token cache to read; \(loginHint) as the user who runs this")
        }
        let key = settings.session ?? settings.startURL
        let digest = Insecure.SHA1.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
        let path = "\(home)/.aws/sso/cache/\(digest).json"
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.contents(of: path, limit: 64 * 1024)
        } catch {
            throw CredentialError(.noCredentials, source: sourceName,
                                  message: "no SSO login for \(settings.session.map { "session \($0)" } ?? settings.startURL) (the token cache \(path) \(error.reason)); \(loginHint)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let token = object["accessToken"] as? String, !token.isEmpty,
              let expiresText = object["expiresAt"] as? String else {
            throw CredentialError(.noCredentials, source: sourceName, message: "the SSO token cache \(path) holds no usable token; \(loginHint)")
        }
        guard let expires = ISO8601Timestamp.parse(expiresText.replacingOccurrences(of: "UTC", with: "Z")) else {
            throw CredentialError(.noCredentials, source: sourceName, message: "the SSO token in \(path) has an expiry that is not a time; \(loginHint)")
        }
        guard expires > now() else {
            throw CredentialError(.expired, source: sourceName,
                                  message: "the SSO login of \(settings.session.map { "session \($0)" } ?? settings.startURL) expired at \(expires.formatted(.iso8601)); \(loginHint)")
        }
        return token
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
        request.headers.add(name: "User-Agent", value: UserAgent.value)
        let route = transport.route(to: endpoint.url)
        let host = endpoint.url.host ?? "?"
        let status: UInt
        let body: [UInt8]
        do {
            let response = try await route.client.execute(request, timeout: TimeAmount(transport.requestTimeout))
            status = response.status.code
            body = Array(try await response.body.collect(upTo: 64 * 1024).readableBytesView)
        } catch {
            let failure = ConnectionFailure.classify(error, endpoint: "\(host):\(endpoint.url.port ?? 443)", proxy: route.proxy, trust: transport.settings.trust)
            throw CredentialError(failure?.isLasting == true ? .invalidConfiguration : .requestFailed, source: sourceName,
                                  message: "IAM Identity Center: " + (failure?.message ?? "the request to \(host) did not complete"))
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
