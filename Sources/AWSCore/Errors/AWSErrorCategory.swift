/// What kind of failure an AWS error is, so callers can react (back off, fix credentials, report)
/// without matching strings.
public enum AWSErrorCategory: Sendable, Equatable {
    /// The service is rate-limiting (a throttling code, or HTTP 429).
    case throttling
    /// A passing server or network fault: `RequestTimeout*`, or HTTP 500/502/503/504.
    case transient
    /// The credentials or signature were rejected (bad key, expired token, wrong signature, HTTP 401).
    case authentication
    /// The caller is known but not allowed (`NotAuthorizedException`, `AccessDeniedException`, HTTP 403).
    case notAuthorized
    /// The identity pool or resource does not exist (`ResourceNotFoundException`, HTTP 404).
    case notFound
    /// The request was rejected as malformed (`InvalidParameterException`, `ValidationException`).
    case invalidParameter
    /// The service's modelled internal error (`InternalErrorException`, HTTP 500); retried like `transient`.
    case internalError
    /// A bulk publish already ran successfully in the last 24 hours (`AlreadyStreamedException`).
    case alreadyStreamed
    /// A bulk publish is already in progress (`DuplicateRequestException`).
    case duplicateRequest
    /// Anything else.
    case other

    /// Classifies by error code first, then by HTTP status for codes it does not know.
    init(code: String, statusCode: Int) {
        switch code {
        case "AlreadyStreamedException": self = .alreadyStreamed
        case "DuplicateRequestException": self = .duplicateRequest
        case _ where AWSErrorCodes.throttling.contains(code): self = .throttling
        case _ where AWSErrorCodes.transient.contains(code): self = .transient
        case _ where AWSErrorCodes.internalError.contains(code): self = .internalError
        case _ where AWSErrorCodes.authentication.contains(code): self = .authentication
        case _ where AWSErrorCodes.notAuthorized.contains(code): self = .notAuthorized
        case "ResourceNotFoundException": self = .notFound
        case _ where AWSErrorCodes.invalidParameter.contains(code): self = .invalidParameter
        default:
            switch statusCode {
            case 429: self = .throttling
            case 401: self = .authentication
            case 403: self = .notAuthorized
            case 404: self = .notFound
            case _ where AWSErrorCodes.transientStatusCodes.contains(statusCode): self = .transient
            default: self = .other
            }
        }
    }
}
