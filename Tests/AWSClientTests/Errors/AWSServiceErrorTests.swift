import AWSClient
import AWSCore
import AWSCredentialProviders
import Testing

struct AWSServiceErrorTests {
    static func error(_ code: String, _ status: Int) -> AWSServiceError {
        AWSServiceError(statusCode: status, code: code, message: nil, requestID: nil)
    }

    @Test(
        arguments: [
            ("ThrottlingException", 400, AWSErrorCategory.throttling, true),
            ("TooManyRequestsException", 429, .throttling, true),
            ("LimitExceededException", 400, .throttling, true),
            ("PriorRequestNotComplete", 400, .throttling, true),
            ("LambdaThrottledException", 429, .throttling, false),
            ("429", 429, .throttling, false),
            ("RequestTimeout", 400, .transient, true),
            ("RequestTimeoutException", 408, .transient, true),
            ("ServiceUnavailable", 503, .transient, true),
            ("502", 502, .transient, true),
            ("504", 504, .transient, true),
            ("501", 501, .other, false),
            ("InternalErrorException", 500, .internalError, true),
            ("InternalFailure", 500, .internalError, true),
            ("UnrecognizedClientException", 400, .authentication, false),
            ("InvalidSignatureException", 403, .authentication, false),
            ("ExpiredTokenException", 400, .authentication, false),
            ("IncompleteSignatureException", 400, .authentication, false),
            ("MissingAuthenticationTokenException", 403, .authentication, false),
            ("InvalidClientTokenId", 403, .authentication, false),
            ("SignatureDoesNotMatch", 403, .authentication, false),
            ("401", 401, .authentication, false),
            ("NotAuthorizedException", 403, .notAuthorized, false),
            ("AccessDeniedException", 400, .notAuthorized, false),
            ("403", 403, .notAuthorized, false),
            ("ResourceNotFoundException", 404, .notFound, false),
            ("404", 404, .notFound, false),
            ("InvalidParameterException", 400, .invalidParameter, false),
            ("ValidationException", 400, .invalidParameter, false),
            ("AlreadyStreamedException", 400, .alreadyStreamed, false),
            ("DuplicateRequestException", 400, .duplicateRequest, false),
            ("InvalidConfigurationException", 400, .other, false),
            ("ConcurrentModificationException", 400, .other, false),
        ] as [(String, Int, AWSErrorCategory, Bool)]
    )
    func categoryAndRetryability(code: String, status: Int, category: AWSErrorCategory, retryable: Bool) {
        let error = Self.error(code, status)
        #expect(error.category == category)
        #expect(error.isRetryable == retryable)
    }

    @Test func aTransientStatusMakesAnyCodeRetryable() {
        #expect(Self.error("SomethingNew", 503).isRetryable)
        #expect(Self.error("NotAuthorizedException", 500).isRetryable)
        #expect(!Self.error("SomethingNew", 400).isRetryable)
    }

    @Test func descriptionNamesCodeStatusMessageAndRequestID() {
        let error = AWSServiceError(
            statusCode: 404,
            code: "ResourceNotFoundException",
            message: "Identity pool us-east-1:abc not found",
            requestID: "1b2c"
        )
        #expect(
            error.description
                == "ResourceNotFoundException (HTTP 404): Identity pool us-east-1:abc not found [request id 1b2c]"
        )
        #expect(Self.error("ThrottlingException", 400).description == "ThrottlingException (HTTP 400)")
    }
}
