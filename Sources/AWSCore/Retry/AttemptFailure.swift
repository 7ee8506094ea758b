/// How one attempt of a call failed, as the retry strategy needs to know it.
public enum AttemptFailure: Sendable, Equatable {
    /// The service answered with an error.
    case service(AWSServiceError)
    /// The connection could not be made or broke (refused, reset, DNS, TLS); transient.
    case connection
    /// Connecting or reading timed out; transient, and a retry costs twice as much quota.
    case timeout
    /// A failure no retry can fix (invalid configuration, unusable credentials, a bug).
    case permanent

    /// Whether botocore's standard mode retries this failure.
    var isRetryable: Bool {
        switch self {
        case .service(let error): error.isRetryable
        case .connection, .timeout: true
        case .permanent: false
        }
    }

    /// The server's hint, if it gave one.
    var retryAfter: Duration? {
        if case .service(let error) = self {
            return error.retryAfter
        }
        return nil
    }
}
