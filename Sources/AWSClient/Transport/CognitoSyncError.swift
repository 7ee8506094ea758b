public import AWSCore
public import Model

/// Why a Cognito Sync call failed, after retries.
///
/// The description is one line, safe to log: codes, messages and request ids, never a secret
/// or an unbounded response body.
public struct CognitoSyncError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The service answered with an error.
        case service(AWSServiceError)
        /// The connection could not be made or broke: a certificate, a proxy, a refusal…
        case connection(ConnectionFailure)
        /// The call was cancelled before it finished (the process is stopping).
        case cancelled
        /// Connecting or reading took longer than allowed.
        case timeout
        /// The response body was larger than the client accepts.
        case responseTooLarge(limit: Int)
        /// A 200 response whose body is not what the API documents.
        case malformedResponse(String)
        /// No usable credentials, and someone has to act (nothing configured, a broken file, a
        /// missing profile).
        case credentials(String)
        /// The credential source did not answer this time (instance metadata or the container
        /// endpoint unreachable, credential_process failing); it may recover by itself.
        case credentialsUnavailable(String)
        /// The endpoint could not be determined from the configuration.
        case endpoint(String)
    }

    public var reason: Reason
    /// How many attempts were made.
    public var attempts: Int

    public init(_ reason: Reason, attempts: Int = 1) {
        self.reason = reason
        self.attempts = attempts
    }

    /// A short code for journal fields and exit-code decisions.
    public var code: String {
        switch reason {
        case .service(let error): error.code
        case .connection(let failure): failure.code
        case .cancelled: "Cancelled"
        case .timeout: "Timeout"
        case .responseTooLarge: "ResponseTooLarge"
        case .malformedResponse: "MalformedResponse"
        case .credentials: "NoCredentials"
        case .credentialsUnavailable: "CredentialsUnavailable"
        case .endpoint: "InvalidEndpoint"
        }
    }

    /// The service's request id, when it gave one.
    public var requestID: String? {
        if case .service(let error) = reason { return error.requestID }
        return nil
    }

    public var message: String {
        switch reason {
        case .service(let error):
            return error.message ?? "HTTP \(error.statusCode)"
        case .connection(let failure):
            return failure.message
        case .cancelled:
            return "the call was cancelled"
        case .timeout:
            return "the request timed out"
        case .responseTooLarge(let limit):
            return "the response body is larger than the \(limit) bytes accepted"
        case .malformedResponse(let detail):
            return "the response is not what the API documents: \(detail)"
        case .credentials(let detail), .credentialsUnavailable(let detail):
            return detail
        case .endpoint(let detail):
            return detail
        }
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let requestID { text += " (request id \(requestID))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }

    /// Whether waiting cannot fix this failure: someone has to act (credentials, permissions,
    /// a wrong pool id, a wrong endpoint).
    public var isLasting: Bool { pollFailure.kind.requiresAction }

    /// The failure as the state machine and the scheduler see it.
    public var pollFailure: PollFailure {
        let kind: PollFailure.Kind
        let cause: PollFailure.Cause
        var retryAfter: Duration?
        switch reason {
        case .service(let error):
            retryAfter = error.retryAfter
            switch error.category {
            case .throttling:
                kind = .throttled
            case .transient, .internalError:
                kind = .transient
            case .authentication, .notAuthorized, .notFound, .invalidParameter, .alreadyStreamed, .duplicateRequest:
                kind = .lasting
            case .other:
                kind = error.statusCode >= 500 ? .transient : .lasting
            }
            switch error.category {
            case .throttling: cause = .throttled
            case .authentication: cause = .credentials
            default: cause = error.statusCode >= 500 ? .serverError : .clientError
            }
        case .connection(let failure):
            kind = failure.isLasting ? .unreachable : .transient
            cause = .network
        case .timeout, .cancelled:
            kind = .transient
            cause = .network
        case .responseTooLarge, .malformedResponse:
            kind = .transient
            cause = .malformed
        case .credentialsUnavailable:
            kind = .transient
            cause = .credentials
        case .credentials:
            kind = .lasting
            cause = .credentials
        case .endpoint:
            kind = .lasting
            cause = .clientError
        }
        return PollFailure(kind: kind, cause: cause, code: code, message: message, requestID: requestID, retryAfter: retryAfter)
    }
}
