public import Foundation

/// What the watcher remembers about one pool between polls and across restarts.
///
/// It is persisted as JSON; ``version`` lets a later release migrate or refuse it.
public struct PoolState: Sendable, Equatable, Codable {
    /// The format this build writes and reads.
    public static let currentVersion = 1

    public var version: Int
    /// The status seen at the last successful poll.
    public var lastStatus: BulkPublishStatus?
    /// When the last successful poll happened.
    public var lastObservedAt: Date?
    /// The latest run seen, with what has been reported about it.
    public var run: RunRecord?
    /// The error state polling is in, if any.
    public var failure: FailureRecord?

    public init(
        lastStatus: BulkPublishStatus? = nil,
        lastObservedAt: Date? = nil,
        run: RunRecord? = nil,
        failure: FailureRecord? = nil
    ) {
        self.version = Self.currentVersion
        self.lastStatus = lastStatus
        self.lastObservedAt = lastObservedAt
        self.run = run
        self.failure = failure
    }

    private enum CodingKeys: String, CodingKey {
        case version, lastStatus, lastObservedAt, run, failure
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        guard version >= 1, version <= Self.currentVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version,
                in: container,
                debugDescription: "state version \(version) is not supported by this build (it reads 1...\(Self.currentVersion))"
            )
        }
        lastStatus = try container.decodeIfPresent(BulkPublishStatus.self, forKey: .lastStatus)
        lastObservedAt = try container.decodeIfPresent(Date.self, forKey: .lastObservedAt)
        run = try container.decodeIfPresent(RunRecord.self, forKey: .run)
        failure = try container.decodeIfPresent(FailureRecord.self, forKey: .failure)
    }
}

/// One bulk publish run, identified by its start time, and what was already reported about it.
public struct RunRecord: Sendable, Equatable, Codable {
    /// `BulkPublishStartTime`; the run's identity. `nil` only if the service omitted it.
    public var startTime: Date?
    /// When the watcher first saw this run; stands in for the start time when that is missing.
    public var firstSeenAt: Date
    public var status: BulkPublishStatus
    public var completeTime: Date?
    /// The service's `FailureMessage` of a FAILED run, for `daemon-status` (the journal has it
    /// in the `failed` event); absent in state saved by versions before it was kept.
    public var failureMessage: String?
    /// The milestones already reported, so none is reported twice.
    public var reported: Set<Milestone>

    public init(
        startTime: Date?, firstSeenAt: Date, status: BulkPublishStatus, completeTime: Date? = nil, failureMessage: String? = nil,
        reported: Set<Milestone> = []
    ) {
        self.startTime = startTime
        self.firstSeenAt = firstSeenAt
        self.status = status
        self.completeTime = completeTime
        self.failureMessage = failureMessage
        self.reported = reported
    }
}

/// Something reported once per run.
public enum Milestone: Sendable, Hashable, Codable {
    case started
    case stalled
    case finished(BulkPublishStatus)
    case anomaly(Anomaly)
    case unrecognized(String)
}

/// The error state of a pool's polling.
public struct FailureRecord: Sendable, Equatable, Codable {
    /// When the first of the consecutive failures happened.
    public var since: Date
    /// The failure last reported (or, before any report, the latest one).
    public var kind: PollFailure.Kind
    public var code: String
    public var message: String
    /// How many polls in a row have failed.
    public var consecutiveFailures: Int
    /// Whether entering this error state was reported.
    public var reported: Bool

    public init(since: Date, kind: PollFailure.Kind, code: String, message: String, consecutiveFailures: Int, reported: Bool) {
        self.since = since
        self.kind = kind
        self.code = code
        self.message = message
        self.consecutiveFailures = consecutiveFailures
        self.reported = reported
    }
}
