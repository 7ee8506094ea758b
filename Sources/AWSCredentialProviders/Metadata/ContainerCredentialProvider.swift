public import AWSCore
public import AWSSigning
import Foundation
public import Model
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Credentials from the ECS/EKS container credentials endpoint, fetched as botocore's
/// `ContainerProvider` fetches them.
///
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is appended to `http://169.254.170.2`; otherwise
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` is used as it is, which over plain http must point at a
/// loopback address or one of the ECS/EKS agent hosts. The `Authorization` header comes from the
/// file named by `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch, since the agent
/// rotates it) or else `AWS_CONTAINER_AUTHORIZATION_TOKEN`. Three attempts, 2 s each, 1 s apart.
public struct ContainerCredentialProvider: CredentialProvider {
    /// The ECS agent's link-local address that relative URIs are resolved against.
    public static let defaultBaseURL = "http://169.254.170.2"
    /// Hosts allowed over plain http besides loopback addresses (botocore's list).
    static let allowedHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"]
    static let attempts = 3
    public static let attemptTimeout: Duration = .seconds(2)

    public let sourceName = "container endpoint"
    private let environment: [String: String]
    private let http: CredentialEndpointHTTP
    private let baseURL: String
    private let attemptTimeout: Duration
    private let retryDelay: Duration
    private let sleep: Sleep

    /// - Parameters:
    ///   - baseURL: what a relative URI is appended to; tests point it at a loopback server.
    ///   - attemptTimeout: how long one attempt may take (botocore's 2 s).
    ///   - retryDelay: the pause between attempts (botocore's 1 s).
    ///   - sleep: how that pause is waited.
    public init(
        environment: [String: String], transport: HTTPTransport,
        baseURL: String = ContainerCredentialProvider.defaultBaseURL,
        attemptTimeout: Duration = ContainerCredentialProvider.attemptTimeout, retryDelay: Duration = .seconds(1),
        sleep: @escaping Sleep = taskSleep
    ) {
        self.environment = environment
        self.http = CredentialEndpointHTTP(transport: transport, proxies: .direct)
        self.baseURL = baseURL
        self.attemptTimeout = attemptTimeout
        self.retryDelay = retryDelay
        self.sleep = sleep
    }

    public func credentials() async throws -> AWSCredentials {
        let url = try endpointURL()
        var lastProblem = ""
        for attempt in 1...Self.attempts {
            if attempt > 1 {
                try await sleep(retryDelay)
            }
            // The token file is re-read on every attempt: the agent may have rotated it.
            let headers = [("Accept", "application/json")] + (try authorizationHeader().map { [("Authorization", $0)] } ?? [])
            let response: CredentialEndpointHTTP.Response
            do {
                response = try await http.send(.GET, url, headers: headers, timeout: attemptTimeout)
            } catch {
                lastProblem = "\(SecretLikeText.urlWithoutCredentials(url)) \(error.description)"
                continue
            }
            guard response.status == 200 else {
                lastProblem = "\(SecretLikeText.urlWithoutCredentials(url)) answered HTTP \(response.status)"
                continue
            }
            guard let document = try? JSONDecoder().decode(ContainerCredentialsDocument.self, from: Data(response.body.utf8)) else {
                lastProblem = "\(SecretLikeText.urlWithoutCredentials(url)) did not answer with a JSON object of credentials"
                continue
            }
            return try document.credentials(source: sourceName)
        }
        throw CredentialError(
            .requestFailed, source: sourceName,
            message: "no credentials after \(Self.attempts) attempts: \(lastProblem)")
    }

    /// The URL to fetch, checked against botocore's rules for plain http.
    func endpointURL() throws(CredentialError) -> String {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = baseURL + relative
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            url = full
        } else {
            throw .notConfigured(
                sourceName, "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
        }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
              var host = parsed.host, !host.isEmpty
        else {
            throw CredentialError(.invalidConfiguration, source: sourceName, message: "\(SecretLikeText.urlWithoutCredentials(url)) is not a valid URL")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        host = host.lowercased()
        switch scheme {
        case "https":
            return url
        case "http" where Self.isLoopback(host) || Self.allowedHTTPHosts.contains(host):
            return url
        case "http":
            throw CredentialError(
                .invalidConfiguration, source: sourceName,
                message: "unsupported host '\(host)': over http, credentials can only be fetched from a loopback "
                    + "address or one of these hosts: \(Self.allowedHTTPHosts.sorted().joined(separator: ", "))")
        default:
            throw CredentialError(
                .invalidConfiguration, source: sourceName, message: "\(SecretLikeText.urlWithoutCredentials(url)) must be an http or https URL")
        }
    }

    private func authorizationHeader() throws(CredentialError) -> String? {
        let token: String
        let origin: String
        if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CredentialError(
                    .unreadableFile, source: sourceName,
                    message: "cannot read the authorization token file \(path) (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)")
            }
            token = String(decoding: data, as: UTF8.self)
            origin = "the file \(path)"
        } else if let value = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
            token = value
            origin = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
        } else {
            return nil
        }
        // botocore refuses rather than trims: a line break cannot go into a header.
        if token.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw CredentialError(
                .invalidConfiguration, source: sourceName,
                message: "the authorization token from \(origin) contains a line break, which is not a legal header value")
        }
        return token
    }

    /// Python's `ipaddress.ip_address(host).is_loopback`: 127.0.0.0/8 or ::1, written strictly.
    static func isLoopback(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in
                bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1
            }
        }
        return false
    }
}

/// The container endpoint's answer: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`.
private struct ContainerCredentialsDocument: Decodable {
    var AccessKeyId: String?
    var SecretAccessKey: String?
    var Token: String?
    var Expiration: String?

    func credentials(source: String) throws(CredentialError) -> AWSCredentials {
        func missing(_ key: String) -> CredentialError {
            CredentialError(.invalidResponse, source: source, message: "the response has no \(key)")
        }
        guard let accessKeyID = AccessKeyId else { throw missing("AccessKeyId") }
        guard let secret = SecretAccessKey else { throw missing("SecretAccessKey") }
        guard let token = Token else { throw missing("Token") }
        guard let expirationText = Expiration else { throw missing("Expiration") }
        guard let expiration = ISO8601Timestamp.parse(expirationText) else {
            throw CredentialError(.invalidResponse, source: source, message: "the response's Expiration is not an ISO 8601 time")
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}
