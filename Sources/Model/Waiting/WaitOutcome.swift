/// How waiting for one pool ended.
public enum WaitOutcome: Sendable, Equatable {
    /// The run waited for SUCCEEDED.
    case succeeded(BulkPublishDetails)
    /// The run waited for FAILED; its `FailureMessage` is in the details.
    case failed(BulkPublishDetails)
    /// `BulkPublish` was refused: a run already SUCCEEDED in the last 24 hours.
    case alreadyStreamed(PollFailure)
    /// An error that waiting cannot fix: not authorized, not found, an invalid id, no credentials.
    case cannotWait(PollFailure)
    /// The time allowed ran out first.
    case timedOut

    /// How bad the outcome is; with several pools the worst one decides the exit status.
    ///
    /// An error nobody can wait out comes first (the answer is unknown and someone must act),
    /// then a FAILED run, then a refused start, then running out of time (not a verdict on the
    /// run), then success.
    public var severity: Int {
        switch self {
        case .cannotWait: 4
        case .failed: 3
        case .alreadyStreamed: 2
        case .timedOut: 1
        case .succeeded: 0
        }
    }

    /// The worst of `outcomes`, the first one among equals; `nil` when there are none.
    public static func worst(of outcomes: some Sequence<WaitOutcome>) -> WaitOutcome? {
        outcomes.reduce(nil) { worst, next in
            guard let worst else { return next }
            return next.severity > worst.severity ? next : worst
        }
    }
}
