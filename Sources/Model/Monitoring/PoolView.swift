public import Foundation

/// What the running daemon knows about one pool at a moment: the last status and run it saw,
/// its last successful poll, the error polling is in, and when it polls next.
///
/// The loop makes one per pool for the daemon's status file, and `daemon-status` reads them back
/// without calling AWS. Its JSON is a published format (`daemon-status --json` prints it), so it
/// is flat and named for people, not a copy of the persisted ``PoolState``, and names every key
/// (`null` when unknown), so a script finds the same keys for every pool.
public struct PoolView: Sendable, Equatable, Codable {
    public var id: IdentityPoolID
    @ExplicitNull public var name: String?
    public var region: String
    /// The status seen at the last successful poll; `nil` before the first one.
    @ExplicitNull public var status: BulkPublishStatus?
    /// `BulkPublishStartTime` of the latest run seen.
    @ExplicitNull public var runStartTime: Date?
    /// `BulkPublishCompleteTime` of the latest run seen, once it finished.
    @ExplicitNull public var runCompleteTime: Date?
    /// The FAILED run's `FailureMessage`, on one line (at most 1 KiB).
    @ExplicitNull public var runFailureMessage: String?
    /// When a poll of the pool last succeeded.
    @ExplicitNull public var lastSuccessfulPoll: Date?
    /// The error polling is in; `nil` while polls succeed.
    @ExplicitNull public var lastError: LastError?
    /// When the next poll is due (wall clock); `nil` while a poll is under way.
    @ExplicitNull public var nextPoll: Date?
    /// Whether a poll of the pool is under way.
    public var polling: Bool

    /// The failure of the latest polls.
    public struct LastError: Sendable, Equatable, Codable {
        /// The AWS error code, or e.g. `HTTP 502`, `Timeout`.
        public var code: String
        /// One line, without secrets.
        public var message: String
        /// `transient`, `throttled`, `lasting` or `unreachable`.
        public var kind: PollFailure.Kind
        /// When the first of the failures in a row happened.
        public var since: Date
        /// How many polls in a row have failed.
        public var consecutiveFailures: Int
        /// Whether the daemon reported it (journal, `pollFailing`); transient errors are reported
        /// only after `reportErrorsAfter` in a row.
        public var reported: Bool

        public init(code: String, message: String, kind: PollFailure.Kind, since: Date, consecutiveFailures: Int, reported: Bool) {
            self.code = code
            self.message = message
            self.kind = kind
            self.since = since
            self.consecutiveFailures = consecutiveFailures
            self.reported = reported
        }
    }

    public init(
        id: IdentityPoolID, name: String? = nil, region: String, status: BulkPublishStatus? = nil, runStartTime: Date? = nil,
        runCompleteTime: Date? = nil, runFailureMessage: String? = nil, lastSuccessfulPoll: Date? = nil, lastError: LastError? = nil, nextPoll: Date? = nil,
        polling: Bool = false
    ) {
        self.id = id
        self.name = name
        self.region = region
        self.status = status
        self.runStartTime = runStartTime
        self.runCompleteTime = runCompleteTime
        self.runFailureMessage = runFailureMessage
        self.lastSuccessfulPoll = lastSuccessfulPoll
        self.lastError = lastError
        self.nextPoll = nextPoll
        self.polling = polling
    }

    /// The view of `pool` in `state`, polled next at `nextPoll` (`nil` while `polling`).
    public init(pool: WatchedPool, state: PoolState, nextPoll: Date?, polling: Bool) {
        self.init(
            id: pool.id, name: pool.name, region: pool.region, status: state.lastStatus,
            runStartTime: state.run?.startTime, runCompleteTime: state.run?.completeTime, runFailureMessage: state.run?.failureMessage,
            lastSuccessfulPoll: state.lastObservedAt,
            lastError: state.failure.map {
                LastError(code: $0.code, message: $0.message, kind: $0.kind, since: $0.since, consecutiveFailures: $0.consecutiveFailures, reported: $0.reported)
            },
            nextPoll: polling ? nil : nextPoll, polling: polling)
    }
}
