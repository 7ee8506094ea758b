/// An error as the Cognito Sync front end sends it: status, code, message, and the Coral
/// namespace that ends up in `x-amzn-ErrorType`.
struct ServiceError: Error, Sendable, Equatable {
    /// Where the error type is defined; AWS puts it after the code in `x-amzn-ErrorType`.
    enum Namespace: String, Sendable {
        /// The errors the Cognito Sync model declares.
        case service = "com.amazonaws.cognito.sync.model"
        /// Authentication and routing errors raised before the operation runs.
        case framework = "com.amazon.coral.service"
        /// Load shedding and throttling.
        case availability = "com.amazon.coral.availability"
    }

    var status: Int
    var code: String
    var message: String
    var namespace: Namespace
    /// Sent as `x-amz-retry-after` when set.
    var retryAfterMilliseconds: Int?
    /// Sent as `Allow` (for a wrong method).
    var allow: String?

    /// The value of `x-amzn-ErrorType`.
    var errorTypeHeader: String {
        "\(code):http://internal.amazon.com/coral/\(namespace.rawValue)/"
    }

    // MARK: - Authentication (checked before the operation)

    static let missingAuthenticationToken = ServiceError(
        status: 403, code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", namespace: .framework)

    static func incompleteSignature(_ message: String) -> ServiceError {
        ServiceError(status: 403, code: "IncompleteSignatureException", message: message, namespace: .framework)
    }

    static let unrecognizedClient = ServiceError(
        status: 403, code: "UnrecognizedClientException",
        message: "The security token included in the request is invalid.", namespace: .framework)

    static func invalidSignature(_ message: String) -> ServiceError {
        ServiceError(status: 403, code: "InvalidSignatureException", message: message, namespace: .framework)
    }

    static let signatureMismatchMessage = "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    static let expiredToken = ServiceError(
        status: 403, code: "ExpiredTokenException",
        message: "The security token included in the request is expired", namespace: .framework)

    // MARK: - Routing

    static func unknownOperation(method: String, path: String) -> ServiceError {
        ServiceError(status: 404, code: "UnknownOperationException",
                     message: "No operation of Amazon Cognito Sync matches \(method) \(path)", namespace: .framework)
    }

    static func methodNotAllowed(method: String, operation: ServiceOperation) -> ServiceError {
        ServiceError(status: 405, code: "UnknownOperationException",
                     message: "\(operation.rawValue) is called with POST, not \(method)", namespace: .framework,
                     allow: "POST")
    }

    static let requestTooLarge = ServiceError(
        status: 413, code: "RequestEntityTooLargeException",
        message: "The request body is larger than the service accepts", namespace: .framework)

    // MARK: - The operations' modelled errors

    static func invalidParameter(_ message: String) -> ServiceError {
        ServiceError(status: 400, code: "InvalidParameterException", message: message, namespace: .service)
    }

    static func resourceNotFound(pool: String) -> ServiceError {
        ServiceError(status: 404, code: "ResourceNotFoundException", message: "IdentityPool '\(pool)' not found.",
                     namespace: .service)
    }

    static func notAuthorized(operation: ServiceOperation?, pool: String?) -> ServiceError {
        let action = "cognito-sync:\(operation?.rawValue ?? "*")"
        let resource = pool.map { "arn:aws:cognito-sync:\($0.prefix { $0 != ":" }):123456789012:identitypool/\($0)" } ?? "*"
        return ServiceError(
            status: 403, code: "NotAuthorizedException",
            message: "User: arn:aws:iam::123456789012:user/simulator is not authorized to perform: \(action) on resource: \(resource)",
            namespace: .service)
    }

    static func duplicateRequest(pool: String) -> ServiceError {
        ServiceError(status: 400, code: "DuplicateRequestException",
                     message: "A bulk publish is already in progress for identity pool '\(pool)'.", namespace: .service)
    }

    static func alreadyStreamed(pool: String) -> ServiceError {
        ServiceError(status: 400, code: "AlreadyStreamedException",
                     message: "A bulk publish of identity pool '\(pool)' succeeded less than 24 hours ago; "
                        + "only one successful bulk publish is allowed per 24 hours.",
                     namespace: .service)
    }

    static let internalError = ServiceError(
        status: 500, code: "InternalErrorException", message: "An internal error occurred. Try again later.", namespace: .service)

    static let tooManyRequests = ServiceError(
        status: 429, code: "TooManyRequestsException", message: "Rate exceeded", namespace: .service)

    // MARK: - Availability

    static let throttling = ServiceError(
        status: 400, code: "ThrottlingException", message: "Rate exceeded", namespace: .availability)

    static let serviceUnavailable = ServiceError(
        status: 503, code: "ServiceUnavailable", message: "Service Unavailable", namespace: .availability)
}
