public import AWSCore
public import Foundation
import NIOHTTP1
public import AWSSigning

/// The EC2 instance role's credentials from the instance metadata service, fetched as
/// botocore's `InstanceMetadataFetcher` fetches them.
///
/// IMDSv2 first: `PUT /latest/api/token` (TTL 21600 s), then with that token
/// `GET /latest/meta-data/iam/security-credentials/` for the role name and `GET …/<role>` for
/// the keys. When the token request is refused (403/404/405) or times out, botocore falls back
/// to IMDSv1 (the same GETs without a token) unless `AWS_EC2_METADATA_V1_DISABLED=true`; so does
/// this. An unreachable service or an instance without a role means "not configured".
///
/// Settings, as botocore: `AWS_EC2_METADATA_DISABLED` (environment only), and from the
/// environment or else the profile in the config file: `AWS_EC2_METADATA_SERVICE_ENDPOINT`
/// (`ec2_metadata_service_endpoint`), `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`
/// (`ec2_metadata_service_endpoint_mode`, IPv4/IPv6), `AWS_IMDS_USE_IPV6` (`imds_use_ipv6`),
/// `AWS_METADATA_SERVICE_TIMEOUT` (`metadata_service_timeout`, seconds, default 1),
/// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (`metadata_service_num_attempts`, default 1) and
/// `AWS_EC2_METADATA_V1_DISABLED` (`ec2_metadata_v1_disabled`).
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    static let defaultIPv4Endpoint = "http://169.254.169.254/"
    static let defaultIPv6Endpoint = "http://[fd00:ec2::254]/"
    static let tokenPath = "latest/api/token"
    static let rolePath = "latest/meta-data/iam/security-credentials/"
    static let tokenTTL = "21600"
    /// botocore's advisory refresh window, used for its "static stability" extension below.
    static let refreshWindow: TimeInterval = 15 * 60

    public let sourceName = "EC2 instance metadata"
    private let environment: [String: String]
    private let http: CredentialEndpointHTTP
    private let endpointOverride: String?
    private let now: @Sendable () -> Date
    /// The profile whose config-file settings apply where the environment sets nothing.
    private var profile: (name: String, locations: SharedFileLocations)?

    /// - Parameters:
    ///   - endpoint: beats `AWS_EC2_METADATA_SERVICE_ENDPOINT`; tests point it at a loopback server.
    ///   - now: the clock used to judge the expiry the service reports.
    public init(
        environment: [String: String], transport: HTTPTransport, endpoint: String? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.http = CredentialEndpointHTTP(transport: transport, proxies: transport.settings.environmentProxies)
        self.endpointOverride = endpoint
        self.now = now
    }

    /// The same provider, reading its settings from `profile` in the config file too.
    init(
        environment: [String: String], transport: HTTPTransport, endpoint: String?, profile: String,
        locations: SharedFileLocations, now: @escaping @Sendable () -> Date
    ) {
        self.init(environment: environment, transport: transport, endpoint: endpoint, now: now)
        self.profile = (profile, locations)
    }

    /// The settings read from the environment and the profile.
    struct Settings: Equatable {
        var endpoint: String
        var timeout: Duration
        var attempts: Int
        var v1Disabled: Bool
    }

    public func credentials() async throws -> AWSCredentials {
        let settings = try self.settings()
        let token = try await fetchToken(settings)
        if token == nil && settings.v1Disabled {
            throw CredentialError(
                .requestFailed, source: sourceName,
                message: "no IMDSv2 token could be fetched from \(settings.endpoint) and IMDSv1 is disabled "
                    + "(AWS_EC2_METADATA_V1_DISABLED or ec2_metadata_v1_disabled)")
        }
        var headers: [(String, String)] = []
        if let token {
            headers.append(("x-aws-ec2-metadata-token", token))
        }
        let roleResponse = try await get(Self.rolePath, headers: headers, settings: settings) { !$0.body.isEmpty }
        let role = roleResponse.body.trimmingCharacters(in: .whitespacesAndNewlines)
        // IAM role names are short and plain; anything else is not a role name and must not be
        // pasted into a URL or an error message.
        guard Self.isRoleName(role) else {
            throw CredentialError.notConfigured(sourceName, "\(url(Self.rolePath, settings)) did not answer with an IAM role name")
        }
        let document = try await get(Self.rolePath + role, headers: headers, settings: settings) { response in
            !response.body.isEmpty && (try? JSONSerialization.jsonObject(with: Data(response.body.utf8))) != nil
        }
        return try credentials(from: document.body, role: role)
    }

    func settings() throws(CredentialError) -> Settings {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            throw .notConfigured(sourceName, "AWS_EC2_METADATA_DISABLED is true")
        }
        // A config file that cannot be read has already stopped the chain at its own step.
        let fromProfile = profile.flatMap { try? SharedProfiles.load($0.locations, source: sourceName).configProfile($0.name) } ?? [:]
        func setting(_ variable: String, _ key: String) -> String? {
            environment[variable] ?? fromProfile[key]
        }
        let endpoint: String
        if let endpointOverride {
            endpoint = endpointOverride
        } else if let custom = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint"), !custom.isEmpty {
            endpoint = custom
        } else if let mode = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode") {
            switch mode.lowercased() {
            case "ipv4": endpoint = Self.defaultIPv4Endpoint
            case "ipv6": endpoint = Self.defaultIPv6Endpoint
            default:
                throw CredentialError(
                    .invalidConfiguration, source: sourceName,
                    message: "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (ec2_metadata_service_endpoint_mode) must be IPv4 or IPv6")
            }
        } else if setting("AWS_IMDS_USE_IPV6", "imds_use_ipv6")?.lowercased() == "true" {
            endpoint = Self.defaultIPv6Endpoint
        } else {
            endpoint = Self.defaultIPv4Endpoint
        }
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              let host = url.host, !host.isEmpty
        else {
            throw CredentialError(.invalidConfiguration, source: sourceName, message: "\(endpoint) is not a valid http(s) URL")
        }
        return Settings(
            endpoint: endpoint,
            timeout: .seconds(try wholeNumber(setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout"), "AWS_METADATA_SERVICE_TIMEOUT (metadata_service_timeout)", default: 1)),
            attempts: try wholeNumber(setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts"), "AWS_METADATA_SERVICE_NUM_ATTEMPTS (metadata_service_num_attempts)", default: 1),
            v1Disabled: setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")?.lowercased() == "true")
    }

    private func wholeNumber(_ value: String?, _ name: String, default fallback: Int) throws(CredentialError) -> Int {
        guard let text = value else { return fallback }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw CredentialError(.invalidConfiguration, source: sourceName, message: "\(name) must be a whole number")
        }
        return value
    }

    /// IAM's pattern for role names: `[\w+=,.@-]{1,64}`.
    static func isRoleName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_+=,.@-".unicodeScalars.contains(scalar))
        }
    }

    private func url(_ path: String, _ settings: Settings) -> String {
        settings.endpoint.hasSuffix("/") ? settings.endpoint + path : settings.endpoint + "/" + path
    }

    /// The IMDSv2 session token, or nil when the service will not give one and IMDSv1 should be
    /// tried (botocore's `_fetch_metadata_token`).
    private func fetchToken(_ settings: Settings) async throws(CredentialError) -> String? {
        let url = url(Self.tokenPath, settings)
        for _ in 0..<settings.attempts {
            let response: CredentialEndpointHTTP.Response
            do {
                response = try await http.send(
                    .PUT, url, headers: [("x-aws-ec2-metadata-token-ttl-seconds", Self.tokenTTL)], timeout: settings.timeout)
            } catch {
                if error.timedOut {
                    return nil
                }
                continue
            }
            switch response.status {
            case 200:
                return response.body
            case 403, 404, 405:
                return nil
            case 400:
                throw .notConfigured(sourceName, "\(url) rejected the token request (HTTP 400)")
            default:
                continue
            }
        }
        return nil
    }

    /// A GET repeated up to the configured number of attempts until it answers 200 with a usable
    /// body (botocore's `_get_request`).
    private func get(
        _ path: String, headers: [(String, String)], settings: Settings,
        usable: (CredentialEndpointHTTP.Response) -> Bool
    ) async throws(CredentialError) -> CredentialEndpointHTTP.Response {
        let url = url(path, settings)
        var lastProblem = "no attempt was made (AWS_METADATA_SERVICE_NUM_ATTEMPTS is 0)"
        for _ in 0..<settings.attempts {
            do {
                let response = try await http.send(.GET, url, headers: headers, timeout: settings.timeout)
                if response.status == 200 && usable(response) {
                    return response
                }
                lastProblem = response.status == 200 ? "\(url) answered with an unusable body" : "\(url) answered HTTP \(response.status)"
            } catch {
                lastProblem = "\(url) \(error.description)"
            }
        }
        throw .notConfigured(sourceName, lastProblem)
    }

    private func credentials(from body: String, role: String) throws(CredentialError) -> AWSCredentials {
        let document = (try? JSONDecoder().decode(InstanceCredentialsDocument.self, from: Data(body.utf8)))
            ?? InstanceCredentialsDocument()
        guard let accessKeyID = document.AccessKeyId, let secret = document.SecretAccessKey,
              let token = document.Token, let expirationText = document.Expiration
        else {
            // An instance whose role does not trust EC2 answers 200 with {"Code": …, "Message": …}.
            let code = document.Code.map { " (Code \($0))" } ?? ""
            throw .notConfigured(sourceName, "the credentials of role \(role) are incomplete\(code)")
        }
        guard var expiration = ISO8601Timestamp.parse(expirationText) else {
            throw CredentialError(.invalidResponse, source: sourceName, message: "the Expiration of role \(role) is not an ISO 8601 time")
        }
        // botocore's static stability: when the service hands out credentials that are (nearly)
        // expired, e.g. during an outage, pretend they last a little longer so callers do not
        // hammer the service, and try again in a few minutes.
        let stretch = Self.refreshWindow + TimeInterval(Int.random(in: 120...600))
        let current = now()
        if current >= expiration.addingTimeInterval(-stretch) {
            expiration = current.addingTimeInterval(stretch)
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}

/// The role credentials document: `Code`, `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`.
private struct InstanceCredentialsDocument: Decodable {
    var Code: String?
    var AccessKeyId: String?
    var SecretAccessKey: String?
    var Token: String?
    var Expiration: String?
}
