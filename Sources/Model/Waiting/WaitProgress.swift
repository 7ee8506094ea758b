import Foundation

/// A change worth telling the person (or script) waiting for a pool: one progress line, one
/// JSON object.
public struct WaitProgress: Sendable, Equatable {
    /// What changed.
    public enum Kind: String, Sendable, CaseIterable {
        /// NOT_STARTED: no bulk publish was ever requested for the pool.
        case waitingForFirstRun
        /// The run waited for is IN_PROGRESS.
        case inProgress
        /// The latest run is older than the one waited for.
        case waitingForNewRun
        /// A status this version does not know; waiting goes on.
        case unrecognizedStatus
        /// A call failed in a way that may pass (5xx, timeout, throttling); it is retried.
        case retrying
        /// `BulkPublish` accepted the request: a new run is starting.
        case bulkPublishStarted
        /// `BulkPublish` found a run in progress (`DuplicateRequestException`); that run is waited for.
        case joinedRunInProgress
        /// The run waited for SUCCEEDED.
        case succeeded
        /// The run waited for FAILED.
        case failed
        /// `BulkPublish` was refused (`AlreadyStreamedException`).
        case alreadyStreamed
        /// An error that waiting cannot fix.
        case cannotWait
        /// The time allowed ran out before the pool was done.
        case timedOut
    }

    /// The operation a ``Kind/retrying`` failure came from.
    public enum Operation: String, Sendable {
        case getBulkPublishDetails = "GetBulkPublishDetails"
        case bulkPublish = "BulkPublish"
    }

    public var kind: Kind
    /// The details last seen, when the change is about them.
    public var details: BulkPublishDetails?
    /// The error, for ``Kind/retrying``, ``Kind/alreadyStreamed`` and ``Kind/cannotWait``.
    public var failure: PollFailure?
    /// The call that failed, for ``Kind/retrying``.
    public var operation: Operation?
    /// What counts as the run waited for, for ``Kind/waitingForNewRun``.
    public var requirement: RunRequirement?
    /// What was last seen before the time ran out, for ``Kind/timedOut``.
    public var lastSeen: String?

    public init(
        kind: Kind,
        details: BulkPublishDetails? = nil,
        failure: PollFailure? = nil,
        operation: Operation? = nil,
        requirement: RunRequirement? = nil,
        lastSeen: String? = nil
    ) {
        self.kind = kind
        self.details = details
        self.failure = failure
        self.operation = operation
        self.requirement = requirement
        self.lastSeen = lastSeen
    }

    /// The final line for a pool whose time ran out, saying what was last seen.
    public static func timedOut(after last: WaitProgress?) -> WaitProgress {
        WaitProgress(kind: .timedOut, details: last?.details, lastSeen: last?.message ?? "no answer from the service yet")
    }

    /// Whether the pool is done after this change.
    public var isFinal: Bool {
        switch kind {
        case .succeeded, .failed, .alreadyStreamed, .cannotWait, .timedOut: true
        default: false
        }
    }

    /// Whether `other` tells the same thing: the same kind, run, status and error code. The
    /// wording of a repeated error may differ (request ids, retry delays) without being news.
    public func isSameChange(as other: WaitProgress) -> Bool {
        kind == other.kind
            && details?.status == other.details?.status
            && details?.startTime == other.details?.startTime
            && details?.completeTime == other.details?.completeTime
            && failure?.code == other.failure?.code
            && operation == other.operation
    }

    /// One sentence (without the pool) for the progress line.
    public var message: String {
        switch kind {
        case .waitingForFirstRun:
            return "NOT_STARTED: no bulk publish has been requested yet; waiting for one to start"
        case .inProgress:
            return "IN_PROGRESS\(Self.started(details))"
        case .waitingForNewRun:
            let latest = "the latest run (\(details?.status?.rawValue ?? "status unknown")\(Self.started(details, separator: ", ")))"
            switch requirement {
            case .startedSince(let since)?:
                return "\(latest) started before \(EventText.timestamp(since)); waiting for a run that starts at or after it"
            default:
                return "\(latest) is from before this wait; waiting for a new run"
            }
        case .unrecognizedStatus:
            return "status '\(details?.status?.rawValue ?? "")', which this version does not know; still waiting"
        case .retrying:
            return "\(operation?.rawValue ?? "the call") failed (\(failure.map(Self.describe) ?? "unknown error")); retrying with backoff"
        case .bulkPublishStarted:
            return "BulkPublish accepted: a new run is starting"
        case .joinedRunInProgress:
            return "a bulk publish is already in progress (DuplicateRequestException); waiting for it"
        case .succeeded:
            return "SUCCEEDED\(Self.took(details))\(Self.started(details))"
        case .failed:
            let why = details?.failureMessage.map { ": \($0)" } ?? " (the service gave no failure message)"
            return "FAILED\(Self.took(details))\(Self.started(details))\(why)"
        case .alreadyStreamed:
            return "BulkPublish refused: a run already SUCCEEDED in the last 24 hours (\(failure.map(Self.describe) ?? "AlreadyStreamedException"))"
        case .cannotWait:
            return "cannot wait: \(failure.map(Self.describe) ?? "unknown error")"
        case .timedOut:
            return "still waiting when the time ran out; last seen: \(lastSeen ?? "nothing")"
        }
    }

    private static func started(_ details: BulkPublishDetails?, separator: String = " ") -> String {
        guard let start = details?.startTime else { return "" }
        return separator == " " ? " (started \(EventText.timestamp(start)))" : "\(separator)started \(EventText.timestamp(start))"
    }

    private static func took(_ details: BulkPublishDetails?) -> String {
        guard let start = details?.startTime, let end = details?.completeTime else { return "" }
        return " after \(EventText.duration(end.timeIntervalSince(start)))"
    }

    private static func describe(_ failure: PollFailure) -> String {
        var text = "\(failure.code): \(failure.message)"
        if let requestID = failure.requestID { text += ", request id \(requestID)" }
        return text
    }
}
