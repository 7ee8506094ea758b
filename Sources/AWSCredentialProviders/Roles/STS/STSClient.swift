import AWSCore
import AWSSigning
import AsyncHTTPClient
import Foundation
import Model
import NIOCore
import NIOHTTP1

/// AWS STS as credential sources need it: `AssumeRole` (signed with the source credentials) and
/// `AssumeRoleWithWebIdentity` (unsigned), over the query protocol, through the same trusted CAs
/// and proxies as every other request, retried in the standard mode.
struct STSClient: Sendable {
    /// The API version the query protocol names.
    static let apiVersion = "2011-06-15"

    let endpoint: STSEndpoint
    let transport: HTTPTransport
    let now: @Sendable () -> Date
    /// The source a failure is reported for.
    let source: String
    private let retries = StandardRetryStrategy()
    private let sleep: Sleep

    init(
        endpoint: STSEndpoint, transport: HTTPTransport, source: String, now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping Sleep = taskSleep
    ) {
        self.endpoint = endpoint
        self.transport = transport
        self.source = source
        self.now = now
        self.sleep = sleep
    }

    /// What a role is assumed with, besides the role.
    struct RoleRequest: Sendable, Equatable {
        var roleARN: String
        var sessionName: String
        var externalID: String?
        var durationSeconds: Int?
    }

    /// `AssumeRole`, signed with `credentials`.
    func assumeRole(_ request: RoleRequest, with credentials: AWSCredentials) async throws(CredentialError) -> AWSCredentials {
        var parameters = [("RoleArn", request.roleARN), ("RoleSessionName", request.sessionName)]
        if let externalID = request.externalID { parameters.append(("ExternalId", externalID)) }
        if let duration = request.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try parsedCredentials(from: await call("AssumeRole", parameters, role: request.roleARN, signedWith: credentials), role: request.roleARN)
    }

    /// `AssumeRoleWithWebIdentity`: the token is the proof, the request is not signed.
    func assumeRoleWithWebIdentity(_ request: RoleRequest, token: String) async throws(CredentialError) -> AWSCredentials {
        var parameters = [("RoleArn", request.roleARN), ("RoleSessionName", request.sessionName), ("WebIdentityToken", token)]
        if let duration = request.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try parsedCredentials(from: await call("AssumeRoleWithWebIdentity", parameters, role: request.roleARN, signedWith: nil), role: request.roleARN)
    }

    // MARK: - The exchange

    /// The `<…Result>` element of a successful answer.
    private func call(_ action: String, _ parameters: [(String, String)], role: String, signedWith credentials: AWSCredentials?) async throws(CredentialError) -> STSXML.Element {
        let body = Array((["Action=\(action)", "Version=\(Self.apiVersion)"]
            + parameters.map { "\($0.0)=\(AWSURIEncoding.encodePathLabel($0.1))" }).joined(separator: "&").utf8)
        var state = RetryState()
        var attempt = 0
        while true {
            attempt += 1
            let failure: AttemptFailure
            let detail: CredentialError
            do {
                let (status, headers, answer) = try await send(body, signedWith: credentials)
                if (200..<300).contains(status) {
                    retries.recordSuccess(state)
                    return try result(of: action, in: answer)
                }
                let error = STSErrorResponse.parse(status: status, headers: headers, body: answer)
                failure = .service(error.serviceError)
                detail = CredentialError(error.isLasting ? .invalidConfiguration : .requestFailed, source: source, message: error.message(action: action, role: role))
            } catch let error as ConnectionFailure {
                failure = error.isLasting ? .permanent : .connection
                detail = CredentialError(error.isLasting ? .invalidConfiguration : .requestFailed, source: source, message: "STS: " + error.message)
            } catch {
                failure = .timeout
                detail = CredentialError(.requestFailed, source: source, message: "STS at \(endpoint.url.host ?? "?") did not answer in time")
            }
            switch retries.decision(after: failure, state: &state) {
            case .retry(let delay):
                do { try await sleep(delay) } catch { throw detail }
            case .giveUp:
                throw detail
            }
        }
    }

    /// Sends one attempt; throws a ``ConnectionFailure`` or a timeout.
    private func send(_ body: [UInt8], signedWith credentials: AWSCredentials?) async throws -> (Int, [(name: String, value: String)], [UInt8]) {
        let url = endpoint.url
        guard let host = url.host else { throw ConnectionFailure(.other("the STS endpoint has no host"), endpoint: url.absoluteString, proxy: nil, trust: transport.settings.trust) }
        let hostHeader = url.port.map { "\(host):\($0)" } ?? host
        var unsigned = SignableRequest(
            method: "POST", path: url.path.isEmpty ? "/" : url.path,
            headers: [(name: "Host", value: hostHeader), (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
            body: body)
        if let credentials {
            unsigned = SigV4Signer(service: "sts", region: endpoint.signingRegion).sign(unsigned, credentials: credentials, date: now())
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for header in unsigned.headers where header.name.lowercased() != "host" {
            request.headers.add(name: header.name, value: header.value)
        }
        request.headers.add(name: "User-Agent", value: UserAgent.value)
        request.body = .bytes(ByteBuffer(bytes: body))
        let route = transport.route(to: url)
        let address = "\(host):\(url.port ?? (url.scheme == "http" ? 80 : 443))"
        do {
            let response = try await route.client.execute(request, timeout: TimeAmount(transport.requestTimeout))
            let answer = try await response.body.collect(upTo: STSXML.sizeLimit)
            return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, Array(answer.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw error
        } catch {
            var failure = ConnectionFailure.classify(error, endpoint: address, proxy: route.proxy, trust: transport.settings.trust)
                ?? ConnectionFailure(.other("the connection failed"), endpoint: address, proxy: route.proxy, trust: transport.settings.trust)
            if failure.needsDiagnosis {
                failure = await CertificateDiagnosis.refine(failure, host: host, port: url.port ?? 443, transport: transport)
            }
            throw failure
        }
    }

    private func result(of action: String, in body: [UInt8]) throws(CredentialError) -> STSXML.Element {
        let document: STSXML
        do {
            document = try STSXML(parsing: body)
        } catch {
            throw CredentialError(.invalidResponse, source: source, message: "STS answered \(action) with a document that is not XML as expected: \(error)")
        }
        guard document.root.name == "\(action)Response", let result = document.root.child("\(action)Result") else {
            throw CredentialError(.invalidResponse, source: source, message: "STS answered \(action) with <\(ServiceErrorText.excerpt(document.root.name, limit: 60))>, not <\(action)Response>")
        }
        return result
    }

    /// The `<Credentials>` of a result.
    private func parsedCredentials(from result: STSXML.Element, role: String) throws(CredentialError) -> AWSCredentials {
        func field(_ name: String) throws(CredentialError) -> String {
            guard let text = result.find(["Credentials", name])?.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                throw CredentialError(.invalidResponse, source: source, message: "STS's answer for role \(role) has no Credentials/\(name)")
            }
            return text
        }
        let expiration = try field("Expiration")
        guard let expires = ISO8601Timestamp.parse(expiration) else {
            throw CredentialError(.invalidResponse, source: source,
                                  message: "STS's answer for role \(role) has an Expiration that is not a time: '\(ServiceErrorText.excerpt(expiration, limit: 40))'")
        }
        return AWSCredentials(
            accessKeyID: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
            sessionToken: try field("SessionToken"), expiration: expires)
    }
}
