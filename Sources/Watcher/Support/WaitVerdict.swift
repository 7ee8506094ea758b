import Model

extension WaitOutcome {
    /// The exit status this outcome calls for.
    var exitStatus: ExitStatus {
        switch self {
        case .succeeded: .success
        case .failed: .bulkPublishFailed
        case .alreadyStreamed: .alreadyStreamed
        case .cannotWait: .lastingError
        case .timedOut: .timedOut
        }
    }
}

/// The closing `error:` sentences of `wait`, one per pool that did not succeed; each says what
/// happened and what to do about it.
enum WaitVerdict {
    static func sentence(for outcome: WaitOutcome, pool: WatchedPool, last: WaitProgress?, timeout: DurationArgument?) -> String? {
        switch outcome {
        case .succeeded:
            return nil
        case .failed(let details):
            let why = details.failureMessage.map { ": \(OneLine.clean($0))" } ?? ", and the service gave no FailureMessage"
            return "the bulk publish of \(pool.label) FAILED (fix what the service reports, then start a new run, e.g. with wait --start)\(why)"
        case .alreadyStreamed(let failure):
            return "BulkPublish refused for \(pool.label): a run already SUCCEEDED in the last 24 hours "
                + "(\(failure.code): \(OneLine.clean(failure.message))); run wait without --start to see that run, "
                + "or start again 24 hours after it"
        case .cannotWait(let failure):
            return "cannot wait for \(pool.label): \(OneLine.clean(failure.description)); \(hint(for: failure))"
        case .timedOut:
            let limit = timeout.map { " after \(EventText.duration($0.duration))" } ?? ""
            // The last change shown is the time-out itself; it carries what was seen before.
            let seen = (last?.kind == .timedOut ? last?.lastSeen : last?.message).map { "; last seen: \(OneLine.clean($0))" } ?? ""
            return "timed out\(limit) waiting for \(pool.label)\(seen); raise --timeout to wait longer"
        }
    }

    /// What to do about an error waiting cannot fix.
    static func hint(for failure: PollFailure) -> String {
        switch failure.code {
        case "NotAuthorizedException", "AccessDeniedException", "AccessDenied":
            return "allow these credentials cognito-sync:GetBulkPublishDetails (and cognito-sync:BulkPublish for --start) on the pool"
        case "ResourceNotFoundException":
            return "check the pool id and its region (the id's prefix, or --region)"
        case "InvalidParameterException", "ValidationException":
            return "check the pool id"
        case "NoCredentials":
            return "provide AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, --profile, or an instance role)"
        case "InvalidEndpoint":
            return "check --endpoint and --region"
        case "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException",
             "IncompleteSignatureException", "InvalidClientTokenId", "MissingAuthenticationTokenException":
            return "check the AWS credentials, and that this machine's clock is right"
        default:
            return "fix the cause and run wait again"
        }
    }
}
