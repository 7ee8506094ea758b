import AWSSigning
import Foundation
import NIOHTTP1

/// Checks a request's SigV4 authentication the way the AWS front end does, in the same order
/// and with the same error codes and wording, so a client's handling of each can be tested.
///
/// The signature itself is recomputed with the signer the client uses (``SignatureCheck``);
/// this type adds the service's policy: known keys, scope, clock skew, session tokens, expiry.
struct RequestAuthenticator: Sendable {
    /// The signing name of Cognito Sync.
    static let service = "cognito-sync"
    /// How far the signing time may be from the server's clock.
    static let allowedSkew: TimeInterval = 300

    private let credentials: [String: ScenarioCredential]
    private let start: Date

    init(credentials: [ScenarioCredential], start: Date) {
        self.credentials = Dictionary(credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { first, _ in first })
        self.start = start
    }

    /// The access key id of a correctly signed request, or the error AWS would answer with.
    /// - Parameters:
    ///   - service: the signing name the scope must carry.
    ///   - region: the region of the pool the path names; `nil` when it names none.
    ///   - issued: temporary credentials STS handed out, accepted besides the scenario's.
    func authenticate(
        _ request: SimulatorRequest, service: String = Self.service, region: String?, now: Date,
        issued: [String: ScenarioCredential] = [:]
    ) -> Result<String, ServiceError> {
        guard let header = request.headers.first(name: "Authorization") else {
            return .failure(.missingAuthenticationToken)
        }
        // AWS accepts the signing time from `Date` when `X-Amz-Date` is absent; botocore signs
        // `Date` when a request already carries one.
        let amzDate = request.headers.first(name: "X-Amz-Date")
        let httpDate = amzDate == nil ? request.headers.first(name: "Date") : nil
        if let problem = Self.shapeProblem(of: header, hasDate: amzDate != nil || httpDate != nil) {
            return .failure(.incompleteSignature(problem))
        }
        let authorization: SigV4Authorization
        do {
            authorization = try SigV4Authorization(parsing: header)
        } catch {
            return .failure(.incompleteSignature("The Authorization header is malformed: \(error.message)."))
        }
        let parsedTime = amzDate.flatMap(SigV4Timestamp.init(amzDate:)) ?? httpDate.flatMap(HTTPDate.parse).map(SigV4Timestamp.init)
        guard let timestamp = parsedTime else {
            return .failure(.incompleteSignature(
                "Date must be in ISO-8601 'basic format'. Got '\(ClientText.bounded(amzDate ?? httpDate ?? ""))'. "
                    + "See http://en.wikipedia.org/wiki/ISO_8601"))
        }
        guard let credential = credentials[authorization.accessKeyID] ?? issued[authorization.accessKeyID] else {
            return .failure(.unrecognizedClient)
        }
        if let problem = scopeProblem(authorization, timestamp: timestamp, service: service, region: region) {
            return .failure(.invalidSignature(problem))
        }
        if let problem = Self.skewProblem(timestamp.date, now: now) {
            return .failure(.invalidSignature(problem))
        }
        if let problem = Self.signedHeadersProblem(authorization.signedHeaders, in: request) {
            return .failure(.incompleteSignature(problem))
        }
        if request.headers.first(name: "X-Amz-Security-Token") != credential.sessionToken {
            return .failure(.unrecognizedClient)
        }
        if let lifetime = credential.expiresAfterSeconds, now >= start.addingTimeInterval(lifetime) {
            return .failure(.expiredToken)
        }
        let expected = SignatureCheck.expected(for: request, authorization: authorization, credential: credential,
                                               date: timestamp.date)
        guard SignatureCheck.constantTimeEquals(expected.signature, authorization.signature) else {
            return .failure(.invalidSignature(
                ServiceError.signatureMismatchMessage
                    + "\n\nThe Canonical String for this request should have been\n'\(expected.canonicalRequest)'\n\n"
                    + "The String-to-Sign should have been\n'\(expected.stringToSign)'\n"))
        }
        return .success(credential.accessKeyID)
    }

    // MARK: - The checks, each returning AWS's message

    /// What the Authorization header lacks, worded as AWS lists it.
    private static func shapeProblem(of header: String, hasDate: Bool) -> String? {
        var parameters: Set<String> = []
        if header.hasPrefix("AWS4-HMAC-SHA256 ") {
            for part in header.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                guard let equals = pair.firstIndex(of: "=") else {
                    return "'\(ClientText.bounded(pair))' not a valid key=value pair (missing equal-sign) in Authorization header."
                }
                parameters.insert(String(pair[..<equals]))
            }
        }
        var missing: [String] = []
        for name in ["Credential", "Signature", "SignedHeaders"] where !parameters.contains(name) {
            missing.append("Authorization header requires '\(name)' parameter.")
        }
        if !hasDate {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        return missing.isEmpty ? nil : missing.joined(separator: " ")
    }

    private func scopeProblem(_ authorization: SigV4Authorization, timestamp: SigV4Timestamp, service: String, region: String?) -> String? {
        if authorization.date != timestamp.dateStamp {
            return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                + "'\(authorization.date)' != '\(timestamp.dateStamp)', from '\(timestamp.amzDate)'."
        }
        if let region, authorization.region != region {
            return "Credential should be scoped to a valid region, not '\(ClientText.bounded(authorization.region))'. "
        }
        if authorization.service != service {
            return "Credential should be scoped to correct service: '\(service)'. "
        }
        return nil
    }

    private static func skewProblem(_ date: Date, now: Date) -> String? {
        func basic(_ date: Date) -> String { SigV4Timestamp(date).amzDate }
        if date < now.addingTimeInterval(-allowedSkew) {
            return "Signature expired: \(basic(date)) is now earlier than "
                + "\(basic(now.addingTimeInterval(-allowedSkew))) (\(basic(now)) - 5 min.)"
        }
        if date > now.addingTimeInterval(allowedSkew) {
            return "Signature not yet current: \(basic(date)) is still later than "
                + "\(basic(now.addingTimeInterval(allowedSkew))) (\(basic(now)) + 5 min.)"
        }
        return nil
    }

    private static func signedHeadersProblem(_ signedHeaders: [String], in request: SimulatorRequest) -> String? {
        guard signedHeaders.contains("host") else {
            return "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        }
        for name in signedHeaders where !request.headers.contains(name: name) {
            return "'\(ClientText.bounded(name))' is named as a SignedHeader, but it does not exist in the HTTP request."
        }
        return nil
    }
}
