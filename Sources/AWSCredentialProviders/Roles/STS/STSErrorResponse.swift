import AWSCore
import Foundation

/// An STS error answer (`<ErrorResponse><Error><Code>…<Message>…`), and what it means for the
/// person who configured the role.
struct STSErrorResponse: Sendable, Equatable {
    var status: Int
    var code: String
    var message: String?
    var requestID: String?

    /// Reads the answer; a body that is not STS's XML (a proxy's page) keeps the status as code.
    static func parse(status: Int, headers: [(name: String, value: String)], body: [UInt8]) -> STSErrorResponse {
        let document = try? STSXML(parsing: body)
        let error = document?.root.find(["Error"])
        let code = error?.child("Code")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let message = error?.child("Message")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let requestID = document?.root.child("RequestId")?.text
            ?? headers.first { $0.name.lowercased() == "x-amzn-requestid" }?.value
        return STSErrorResponse(
            status: status,
            code: code.flatMap { RestJSONErrorParser.cleanCode($0) } ?? String(status),
            // STS quotes the canonical request of a refused signature, token included: cut as
            // the rest-json errors are, and anything else shaped like a key or token hidden.
            message: message.map {
                ServiceErrorText.excerpt(SecretLikeText.redactingKeys(RestJSONErrorParser.boundedMessage($0)), limit: 300)
            },
            requestID: requestID.map { ServiceErrorText.excerpt($0, limit: 80) })
    }

    /// The answer as the retry strategy sees it.
    var serviceError: AWSServiceError {
        AWSServiceError(statusCode: status, code: code, message: message, requestID: requestID)
    }

    /// Whether asking again cannot help.
    var isLasting: Bool { !serviceError.isRetryable }

    /// One line: what STS said about `action` for `role`, and the fix.
    func message(action: String, role: String) -> String {
        let said = "STS refused \(action) of \(role): \(code)" + (message.map { " (\($0))" } ?? "")
        let fix: String
        switch code {
        case "AccessDenied", "AccessDeniedException":
            fix = "check that the role's trust policy lets the source identity assume it (and that external_id matches, if the policy asks for one)"
        case "ExpiredToken", "ExpiredTokenException":
            fix = action == "AssumeRoleWithWebIdentity"
                ? "the web identity token has expired; whatever writes the token file must renew it"
                : "the source credentials have expired; renew them (or the source profile's)"
        case "InvalidIdentityToken", "IDPRejectedClaim":
            fix = "check the token file and that the role trusts the token's identity provider and audience"
        case "IDPCommunicationError":
            fix = "STS could not reach the identity provider that issued the token; it may work on the next try"
        case "RegionDisabledException":
            fix = "activate STS in this region (IAM, Account settings), or set sts_regional_endpoints = legacy or another region"
        case "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException":
            fix = "the source credentials were not accepted; check the source profile's keys"
        case "ValidationError":
            fix = "check role_arn, role_session_name (2 to 64 of letters, digits and =,.@-) and duration_seconds (900 up to the role's maximum)"
        default:
            fix = "check the role's settings"
        }
        return said + "; " + fix + (requestID.map { " (request id \($0))" } ?? "")
    }
}
