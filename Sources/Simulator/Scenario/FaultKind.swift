/// The ways the simulated service can misbehave.
public enum FaultKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// 500 `InternalErrorException`, the operation's modelled server error.
    case http500
    /// 503 `ServiceUnavailable`.
    case http503
    /// 429 `TooManyRequestsException`, the service's own throttling error.
    case throttle429
    /// 400 `ThrottlingException`, the AWS-wide throttling error.
    case throttling400
    /// The real answer, held back for `delaySeconds`.
    case slow
    /// The connection is reset without an answer.
    case reset
    /// 200 with a JSON body cut short.
    case malformed
    /// 502 with an HTML page and no `x-amzn-` headers, as a load balancer sends.
    case html
    /// 200 with a body of `sizeBytes` (valid JSON, padded).
    case huge
    /// 200 reporting the status string `status`.
    case unknownStatus
    /// 403 `NotAuthorizedException`.
    case notAuthorized
    /// 403 `ExpiredTokenException`.
    case expiredToken

    /// The answer is an AWS error whose message a rule may override.
    var isError: Bool {
        switch self {
        case .http500, .http503, .throttle429, .throttling400, .notAuthorized, .expiredToken: true
        case .slow, .reset, .malformed, .html, .huge, .unknownStatus: false
        }
    }

    /// The answer is a throttling error, which may carry `x-amz-retry-after`.
    var isThrottling: Bool {
        self == .throttle429 || self == .throttling400
    }
}
