public import Foundation

/// An error response from an AWS service: status, code, message, request id, any retry-after
/// hint, and the service's clock.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code.
    public let statusCode: Int
    /// The error code, e.g. `NotAuthorizedException`; as in botocore, the status as digits (`"502"`) when
    /// the response named none.
    public let code: String
    /// The service's message, or a short sanitised excerpt of a body that was not JSON.
    public let message: String?
    /// The request id from `x-amzn-RequestId` (or `x-amz-request-id`), for AWS support.
    public let requestID: String?
    /// How long the server asked to wait (`x-amz-retry-after` milliseconds, or `Retry-After` seconds).
    public let retryAfter: Duration?
    /// The time on the service's clock when it answered (the `Date` header), to tell how far off
    /// this machine's clock is.
    public let serverDate: Date?

    /// Creates an error from its parts.
    public init(statusCode: Int, code: String, message: String?, requestID: String?, retryAfter: Duration? = nil, serverDate: Date? = nil) {
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.requestID = requestID
        self.retryAfter = retryAfter
        self.serverDate = serverDate
    }

    /// Whether the service may have refused the request for its signing time: the codes the AWS
    /// SDKs for Java (v2) and JavaScript (v3) correct their clock on.
    public var mayBeClockSkew: Bool {
        AWSErrorCodes.clockSkew.contains(code)
    }

    /// What kind of failure this is.
    public var category: AWSErrorCategory { AWSErrorCategory(code: code, statusCode: statusCode) }

    /// Whether botocore's standard retry mode retries it: a throttling or transient code, or HTTP 500/502/503/504.
    ///
    /// HTTP 429 alone is not enough (botocore retries throttling by code only), so a 429 with an
    /// unknown code is `.throttling` in ``category`` but not retryable.
    public var isRetryable: Bool {
        isThrottling || AWSErrorCodes.transient.contains(code)
            || AWSErrorCodes.transientStatusCodes.contains(statusCode)
    }

    /// Whether the code is one of botocore's throttling codes.
    public var isThrottling: Bool { AWSErrorCodes.throttling.contains(code) }

    /// One line for logs: code, status, a bounded message and the request id.
    public var description: String {
        let head =
            code == String(statusCode)
            ? "HTTP \(statusCode)" : "\(ServiceErrorText.excerpt(code, limit: 80)) (HTTP \(statusCode))"
        var text = head
        if let message, !message.isEmpty {
            text += ": " + ServiceErrorText.excerpt(message, limit: ServiceErrorText.descriptionLimit)
        }
        if let requestID {
            text += " [request id \(ServiceErrorText.excerpt(requestID, limit: 80))]"
        }
        return text
    }
}
