/// Why a poll of one pool did not produce details, classified for the scheduler and the
/// state machine.
public struct PollFailure: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// How the failure should be treated.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// May go away by itself (a 5xx, a timeout, a reset connection, a malformed body): retry soon.
        case transient
        /// The service asked us to slow down: back off, and slow the whole region down.
        case throttled
        /// Will not go away without someone acting (not authorized, pool not found, invalid id,
        /// bad credentials): poll slowly and say so once.
        case lasting
        /// The way to the service is broken in a way someone has to fix (a certificate that is
        /// not trusted, a proxy that is down or wants a password): said once at once, like a
        /// lasting error, but retried with the error backoff, as a proxy may come back and a fix
        /// may come any minute.
        case unreachable

        /// Whether one failure is enough to report it and to end a wait: someone has to act.
        public var requiresAction: Bool { self == .lasting || self == .unreachable }
    }

    /// Where the failure came from, for the `outcome` of the polls metric. The ``Kind`` says how
    /// to treat a failure; the cause says what an operator looks at.
    public enum Cause: String, Sendable, Codable, CaseIterable {
        case throttled
        /// The service refused the request (a 4xx other than throttling and credentials), or the
        /// configuration named an endpoint that cannot be used.
        case clientError = "client_error"
        /// The service failed (a 5xx).
        case serverError = "server_error"
        /// No answer: a connection, TLS or proxy failure, or a timeout.
        case network
        /// Credentials missing, refused or expired.
        case credentials
        /// An answer that could not be read.
        case malformed
    }

    public var kind: Kind
    public var cause: Cause
    /// A short, bounded code safe for a journal field: the AWS error code, or e.g. `HTTP 502`,
    /// `Timeout`, `ConnectionReset`, `MalformedResponse`.
    public var code: String
    /// A one-line explanation, without secrets.
    public var message: String
    /// The request id the service gave, for a support case.
    public var requestID: String?
    /// How long the service asked us to wait before the next attempt.
    public var retryAfter: Duration?

    /// - Parameter cause: where it came from; by default the one its kind usually has.
    public init(
        kind: Kind, cause: Cause? = nil, code: String, message: String, requestID: String? = nil, retryAfter: Duration? = nil
    ) {
        self.kind = kind
        self.cause = cause ?? Self.usualCause(of: kind)
        self.code = code
        self.message = message
        self.requestID = requestID
        self.retryAfter = retryAfter
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let requestID { text += " (request id \(requestID))" }
        return text
    }

    private static func usualCause(of kind: Kind) -> Cause {
        switch kind {
        case .throttled: .throttled
        case .transient: .serverError
        case .lasting: .clientError
        case .unreachable: .network
        }
    }
}
