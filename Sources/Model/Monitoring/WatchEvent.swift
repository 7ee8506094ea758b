public import Foundation

/// Something about one pool worth telling the journal and the service manager.
///
/// An event carries everything a journal entry needs, and an ``identity`` that stays the same
/// when the same fact is derived again after a restart, so that sinks can deduplicate.
public struct WatchEvent: Sendable, Equatable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A bulk publish run was seen IN_PROGRESS.
        case started
        /// A run ended with SUCCEEDED.
        case succeeded
        /// A run ended with FAILED.
        case failed
        /// A run has been IN_PROGRESS longer than the pool's stall limit.
        case stalled
        /// The service reported something that cannot happen in a well-behaved run.
        case anomaly
        /// The service reported a status this version does not know.
        case unrecognizedStatus
        /// Polling the pool keeps failing (or failed in a way that will not heal by itself).
        case pollFailing
        /// Polling works again after ``pollFailing`` was reported.
        case pollRecovered

        /// How urgent this kind of event is.
        public var severity: Severity {
            switch self {
            case .failed: .error
            case .stalled, .anomaly, .unrecognizedStatus, .pollFailing: .warning
            case .started, .succeeded, .pollRecovered: .notice
            }
        }
    }

    public var kind: Kind
    public var poolID: IdentityPoolID
    public var poolName: String?
    /// The status seen at the poll before this one, if any.
    public var previousStatus: BulkPublishStatus?
    /// The status seen now; `nil` for poll errors.
    public var status: BulkPublishStatus?
    public var startTime: Date?
    public var completeTime: Date?
    /// How long the run took (finished runs), has taken (stalls), or how long polling failed.
    public var duration: Duration?
    public var failureMessage: String?
    /// The poll error's code, for ``Kind/pollFailing`` and ``Kind/pollRecovered``.
    public var errorCode: String?
    /// The anomaly, for ``Kind/anomaly``.
    public var anomaly: Anomaly?
    /// A further explanation: the poll error's message, or what the anomaly was.
    public var detail: String?
    /// When the watcher derived this event.
    public var observedAt: Date
    /// Stable across restarts: pool, run start time (or error start), kind and what sets it apart.
    public var identity: String

    public init(
        kind: Kind,
        poolID: IdentityPoolID,
        poolName: String? = nil,
        previousStatus: BulkPublishStatus? = nil,
        status: BulkPublishStatus? = nil,
        startTime: Date? = nil,
        completeTime: Date? = nil,
        duration: Duration? = nil,
        failureMessage: String? = nil,
        errorCode: String? = nil,
        anomaly: Anomaly? = nil,
        detail: String? = nil,
        observedAt: Date,
        identity: String
    ) {
        self.kind = kind
        self.poolID = poolID
        self.poolName = poolName
        self.previousStatus = previousStatus
        self.status = status
        self.startTime = startTime
        self.completeTime = completeTime
        self.duration = duration
        self.failureMessage = failureMessage
        self.errorCode = errorCode
        self.anomaly = anomaly
        self.detail = detail
        self.observedAt = observedAt
        self.identity = identity
    }

    /// How urgent the event is.
    public var severity: Severity { kind.severity }
}

/// Something the service reported that a well-behaved bulk publish never does.
public enum Anomaly: String, Sendable, Codable, CaseIterable {
    /// A finished run went back to IN_PROGRESS, or a pool with runs went back to NOT_STARTED.
    case statusWentBackwards
    /// A new run appeared while the previous one was last seen IN_PROGRESS: its outcome was missed.
    case previousOutcomeMissed
    /// The new run's start time lies before the previous run's.
    case startTimeWentBackwards
    /// The same run was reported SUCCEEDED and FAILED.
    case outcomeChanged
    /// The completion time lies before the start time.
    case completedBeforeStart
}
