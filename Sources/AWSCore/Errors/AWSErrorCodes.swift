/// The error codes and statuses botocore's standard retry mode (`retries/standard.py`) treats specially.
enum AWSErrorCodes {
    /// `ThrottledRetryableChecker._THROTTLED_ERROR_CODES`.
    static let throttling: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// `TransientRetryableChecker._TRANSIENT_ERROR_CODES`.
    static let transient: Set<String> = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"]

    /// `TransientRetryableChecker._TRANSIENT_STATUS_CODES`.
    static let transientStatusCodes: Set<Int> = [500, 502, 503, 504]

    /// Codes meaning the credentials or the signature were not accepted.
    static let authentication: Set<String> = [
        "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken",
        "IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken",
        "MissingAuthenticationTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch", "RequestExpired",
        "InvalidAccessKeyId", "AuthFailure", "InvalidToken",
    ]

    /// Codes the AWS SDKs for Java (v2) and JavaScript (v3) take for a refused signing time.
    static let clockSkew: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException",
        "SignatureDoesNotMatch", "AuthFailure",
    ]

    /// Codes meaning the caller is known but lacks permission.
    static let notAuthorized: Set<String> = [
        "NotAuthorizedException", "AccessDeniedException", "AccessDenied", "UnauthorizedOperation",
    ]

    /// Codes for server-side faults the service models by name.
    static let internalError: Set<String> = [
        "InternalErrorException", "InternalFailure", "InternalServerError", "InternalServerException",
    ]

    /// Codes for a request the service considers malformed.
    static let invalidParameter: Set<String> = [
        "InvalidParameterException", "ValidationException", "SerializationException",
    ]
}
