import AWSCore
import AtomicFile
import AWSSigning
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// The access token of an `aws sso login`, read from its cache file and refreshed as botocore's
/// `SSOTokenProvider` refreshes it.
///
/// The cache is `~/.aws/sso/cache/<sha1 of the session name, or of the start URL for the legacy
/// form>.json`. For a profile with `sso_session`, a token that expires within 15 minutes is
/// refreshed with the cached registration (`clientId`, `clientSecret`, `refreshToken`, while
/// `registrationExpiresAt` lies ahead) through IAM Identity Center's OIDC `CreateToken`, and the
/// new token is written back to the cache file, as the AWS CLI writes it, so the CLI and every
/// other SDK see it too. A refresh that fails leaves a token that is still valid in use; an
/// expired one then needs `aws sso login` again. The legacy form has no refresh.
struct SingleSignOnToken {
    /// botocore's `_REFRESH_WINDOW`.
    static let refreshWindow: TimeInterval = 15 * 60
    /// The largest cache file read.
    static let sizeLimit = 64 * 1024

    let settings: SingleSignOnCredentialProvider.Settings
    let home: String
    let environment: [String: String]
    let transport: HTTPTransport
    let now: @Sendable () -> Date
    let source: String
    /// "run `aws sso login --profile X`".
    let loginHint: String

    /// The cache file's path.
    var path: String {
        let key = settings.session ?? settings.startURL
        let digest = Insecure.SHA1.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(home)/.aws/sso/cache/\(digest).json"
    }

    private var loginName: String { settings.session.map { "session \($0)" } ?? settings.startURL }

    /// A valid access token: the cached one, or a refreshed one when it expires soon.
    func accessToken() async throws(CredentialError) -> String {
        let cached = try read()
        guard let token = cached["accessToken"] as? String, !token.isEmpty, let expiresText = cached["expiresAt"] as? String else {
            throw CredentialError(.noCredentials, source: source, message: "the SSO token cache \(path) holds no usable token; \(loginHint)")
        }
        guard let expires = Self.date(expiresText) else {
            throw CredentialError(.noCredentials, source: source, message: "the SSO token in \(path) has an expiry that is not a time; \(loginHint)")
        }
        guard expires.timeIntervalSince(now()) < Self.refreshWindow, settings.session != nil else {
            return try valid(token, expires: expires, refreshFailure: nil)
        }
        do {
            return try await refresh(cached)
        } catch {
            return try valid(token, expires: expires, refreshFailure: error)
        }
    }

    /// `token` while it has not expired; the error to show once it has.
    private func valid(_ token: String, expires: Date, refreshFailure: RefreshFailure?) throws(CredentialError) -> String {
        guard expires <= now() else { return token }
        let refresh = refreshFailure.map { " and could not be refreshed (\($0.reason))" } ?? ""
        throw CredentialError(.expired, source: source,
                              message: "the SSO login of \(loginName) expired at \(expires.formatted(.iso8601))\(refresh); \(loginHint)")
    }

    private func read() throws(CredentialError) -> [String: Any] {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.contents(of: path, limit: Self.sizeLimit)
        } catch {
            throw CredentialError(.noCredentials, source: source,
                                  message: "no SSO login for \(loginName) (the token cache \(path) \(error.reason)); \(loginHint)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw CredentialError(.noCredentials, source: source, message: "the SSO token cache \(path) holds no usable token; \(loginHint)")
        }
        return object
    }

    // MARK: - Refresh

    /// Why a refresh did not happen or did not work; never holds a token.
    struct RefreshFailure: Error {
        var reason: String
    }

    /// `CreateToken` with the cached registration, and the new token written to the cache.
    private func refresh(_ cached: [String: Any]) async throws(RefreshFailure) -> String {
        guard let clientID = cached["clientId"] as? String, let secret = cached["clientSecret"] as? String,
              let refreshToken = cached["refreshToken"] as? String,
              let registrationText = cached["registrationExpiresAt"] as? String else {
            throw RefreshFailure(reason: "the cache holds no refresh token and client registration")
        }
        guard let registrationExpires = Self.date(registrationText), registrationExpires > now() else {
            throw RefreshFailure(reason: "the client registration expired at \(registrationText)")
        }
        let endpoint: ResolvedEndpoint
        do {
            endpoint = try EndpointResolver(endpointPrefix: "oidc", serviceID: "SSO OIDC").resolve(region: settings.region, environment: environment)
        } catch {
            throw RefreshFailure(reason: "no IAM Identity Center OIDC endpoint for sso_region \(settings.region): \(error.message)")
        }
        let requestBody: [String: String] = [
            "clientId": clientID, "clientSecret": secret, "grantType": "refresh_token", "refreshToken": refreshToken,
        ]
        let base = endpoint.url.absoluteString.hasSuffix("/") ? String(endpoint.url.absoluteString.dropLast()) : endpoint.url.absoluteString
        var request = HTTPClientRequest(url: base + "/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: requestBody, options: [.sortedKeys])) ?? Data()))
        let status: UInt
        let body: [UInt8]
        do {
            (status, body) = try await IdentityCenterHTTP.send(request, to: endpoint.url, transport: transport)
        } catch {
            throw RefreshFailure(reason: error.message)
        }
        let answer = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        guard status == 200 else {
            // The OIDC service names its errors in `error` (InvalidGrantException…).
            let code = (answer["error"] as? String).map { ServiceErrorText.excerpt($0, limit: 80) } ?? "HTTP \(status)"
            throw RefreshFailure(reason: "IAM Identity Center refused CreateToken: \(code)")
        }
        guard let accessToken = answer["accessToken"] as? String, !accessToken.isEmpty,
              let expiresIn = (answer["expiresIn"] as? NSNumber)?.doubleValue else {
            throw RefreshFailure(reason: "IAM Identity Center answered CreateToken without an access token")
        }
        var renewed = cached
        renewed["startUrl"] = settings.startURL
        renewed["region"] = settings.region
        renewed["accessToken"] = accessToken
        renewed["expiresAt"] = Self.format(now().addingTimeInterval(expiresIn))
        if let rotated = answer["refreshToken"] as? String { renewed["refreshToken"] = rotated }
        try write(renewed)
        return accessToken
    }

    /// Replaces the cache file whole (a temporary file renamed over it), readable by its owner
    /// only, as the AWS CLI keeps it.
    private func write(_ object: [String: Any]) throws(RefreshFailure) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            throw RefreshFailure(reason: "the refreshed token could not be encoded")
        }
        do {
            try AtomicFile.replace(path, with: data, permissions: 0o600, durability: .synced)
        } catch {
            throw RefreshFailure(reason: "the refreshed token could not be saved: \(error)")
        }
    }

    /// The CLI writes `2026-12-05T12:00:00Z` (older versions `…UTC`).
    static func date(_ text: String) -> Date? {
        ISO8601Timestamp.parse(text.replacingOccurrences(of: "UTC", with: "Z"))
    }

    /// botocore's `_serialize_utc_timestamp`: `%Y-%m-%dT%H:%M:%SZ`.
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
