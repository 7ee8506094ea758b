import AWSSigning
import Foundation
import NIOHTTP1

/// The simulated STS: `AssumeRole` (signed, with credentials the scenario declares or STS issued
/// before) and `AssumeRoleWithWebIdentity` (unsigned), over the query protocol on `POST /`, with
/// AWS's XML answers and error shapes. The credentials it issues are accepted by the Cognito Sync
/// side until they expire, so a client can be run through an assumed role end to end.
enum SecurityTokenService {
    /// The signing name of STS.
    static let signingName = "sts"
    static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"
    /// `DurationSeconds` when none is asked for, and its bounds.
    static let defaultDuration = 3600
    static let durations = 900...43_200

    /// An error as STS words it.
    struct Failure: Error, Equatable {
        var status: HTTPResponseStatus
        var code: String
        var message: String
        var type = "Sender"
    }

    /// Credentials issued by a call, with the role and session they are for.
    struct Issued: Equatable {
        var credential: ScenarioCredential
        var role: String
        var sessionName: String
        var expiration: Date
    }

    /// The form fields of a query-protocol body (`a=b&c=d`, percent-encoded, `+` for space).
    static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(decoding: AWSURIEncoding.decode(Substring(text.replacingOccurrences(of: "+", with: " "))), as: UTF8.self)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// Checks an `AssumeRole` or `AssumeRoleWithWebIdentity` call and issues credentials.
    static func assume(_ action: String, fields: [String: String], roles: [ScenarioRole], start: Date, now: Date) -> Result<Issued, Failure> {
        func validation(_ message: String) -> Failure {
            Failure(status: .badRequest, code: "ValidationError", message: message)
        }
        guard fields["Version"] == "2011-06-15" else {
            return .failure(Failure(status: .badRequest, code: "InvalidParameterValue", message: "Could not find operation \(action) for version \(fields["Version"] ?? "NO_VERSION_SPECIFIED")"))
        }
        guard let role = fields["RoleArn"], role.wholeMatch(of: /arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@\/-]{1,512}/) != nil else {
            return .failure(validation("1 validation error detected: Value '\(ClientText.bounded(fields["RoleArn"] ?? ""))' at 'roleArn' failed to satisfy constraint: Member must be a valid role ARN"))
        }
        guard let session = fields["RoleSessionName"], session.wholeMatch(of: /[\w+=,.@-]{2,64}/) != nil else {
            return .failure(validation("1 validation error detected: Value '\(ClientText.bounded(fields["RoleSessionName"] ?? ""))' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"))
        }
        var duration = defaultDuration
        if let text = fields["DurationSeconds"] {
            guard let seconds = Int(text), durations.contains(seconds) else {
                return .failure(validation("1 validation error detected: Value '\(ClientText.bounded(text))' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200"))
            }
            duration = seconds
        }
        let declared = roles.first { $0.arn == role }
        if !roles.isEmpty, declared == nil {
            return .failure(Failure(status: .forbidden, code: "AccessDenied",
                                    message: "User is not authorized to perform: sts:\(action) on resource: \(role)"))
        }
        if action == "AssumeRole", let expected = declared?.externalID, fields["ExternalId"] != expected {
            return .failure(Failure(status: .forbidden, code: "AccessDenied",
                                    message: "User is not authorized to perform: sts:AssumeRole on resource: \(role) (the external id does not match)"))
        }
        if action == "AssumeRoleWithWebIdentity" {
            guard let token = fields["WebIdentityToken"], !token.isEmpty else {
                return .failure(validation("1 validation error detected: Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null"))
            }
            if let expected = declared?.webIdentityToken, token != expected {
                return .failure(Failure(status: .badRequest, code: "InvalidIdentityToken", message: "The web identity token is not valid for this role"))
            }
        }
        var issued = issue(duration: duration, start: start, now: now)
        issued.role = role
        issued.sessionName = session
        return .success(issued)
    }

    /// New temporary credentials, valid for `duration` seconds.
    static func issue(duration: Int, start: Date, now: Date) -> Issued {
        let expiration = now.addingTimeInterval(TimeInterval(duration))
        let credential = ScenarioCredential(
            accessKeyID: "ASIA" + randomText(16, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
            secretAccessKey: randomText(40, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            sessionToken: "IQoJb3JpZ2luX2VjE" + randomText(300, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            expiresAfterSeconds: expiration.timeIntervalSince(start))
        return Issued(credential: credential, role: "", sessionName: "", expiration: expiration)
    }

    /// The XML answer to a successful call.
    static func success(_ action: String, _ issued: Issued, now: Date) -> SimulatorResponse {
        let roleName = issued.role.split(separator: "/").last.map(String.init) ?? "role"
        let account = issued.role.split(separator: ":").dropFirst(4).first.map(String.init) ?? "000000000000"
        let body = """
            <\(action)Response xmlns="\(namespace)">
              <\(action)Result>
                <Credentials>
                  <AccessKeyId>\(issued.credential.accessKeyID)</AccessKeyId>
                  <SecretAccessKey>\(escape(issued.credential.secretAccessKey))</SecretAccessKey>
                  <SessionToken>\(escape(issued.credential.sessionToken ?? ""))</SessionToken>
                  <Expiration>\(timestamp(issued.expiration))</Expiration>
                </Credentials>
                <AssumedRoleUser>
                  <AssumedRoleId>AROA\(randomText(17, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")):\(escape(issued.sessionName))</AssumedRoleId>
                  <Arn>arn:aws:sts::\(account):assumed-role/\(escape(roleName))/\(escape(issued.sessionName))</Arn>
                </AssumedRoleUser>
              </\(action)Result>
              <ResponseMetadata>
                <RequestId>\(UUID().uuidString.lowercased())</RequestId>
              </ResponseMetadata>
            </\(action)Response>

            """
        return response(.ok, body: body, now: now)
    }

    /// An error answer: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
    static func error(_ failure: Failure, now: Date) -> SimulatorResponse {
        let body = """
            <ErrorResponse xmlns="\(namespace)">
              <Error>
                <Type>\(failure.type)</Type>
                <Code>\(escape(failure.code))</Code>
                <Message>\(escape(failure.message))</Message>
              </Error>
              <RequestId>\(UUID().uuidString.lowercased())</RequestId>
            </ErrorResponse>

            """
        return response(failure.status, body: body, now: now)
    }

    /// The `<Code>` of an error answer, for the request log.
    static func code(in response: SimulatorResponse) -> String? {
        let text = String(decoding: response.body.bytes, as: UTF8.self)
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>"), start.upperBound <= end.lowerBound else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// A Cognito Sync style authentication error, worded for STS.
    static func failure(_ error: ServiceError) -> Failure {
        Failure(status: HTTPResponseStatus(statusCode: error.status), code: error.code, message: error.message)
    }

    private static func response(_ status: HTTPResponseStatus, body: String, now: Date) -> SimulatorResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: HTTPDate.format(now))
        headers.add(name: "Content-Type", value: "text/xml")
        headers.add(name: "x-amzn-RequestId", value: UUID().uuidString.lowercased())
        return SimulatorResponse(status: status, headers: headers, body: .bytes(Array(body.utf8)))
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `2026-12-05T10:26:48Z`.
    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func randomText(_ count: Int, from alphabet: String) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters.randomElement() ?? "A" })
    }
}
