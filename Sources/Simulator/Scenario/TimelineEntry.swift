public import Foundation
public import Model

/// One step of a pool's scripted history: from `at` seconds after the simulator's start, the
/// service reports `status`.
public struct TimelineEntry: Sendable, Equatable {
    /// Seconds after the simulator's start (negative: before it, e.g. a run finished yesterday).
    public var at: TimeInterval
    /// Any string: the four documented values, or another to simulate one added later.
    public var status: BulkPublishStatus
    /// An explicit start time for the run, in seconds after the simulator's start.
    public var startedAt: TimeInterval?
    /// Sent with `FAILED` only.
    public var failureMessage: String?

    public init(at: TimeInterval, status: BulkPublishStatus, startedAt: TimeInterval? = nil, failureMessage: String? = nil) {
        self.at = at
        self.status = status
        self.startedAt = startedAt
        self.failureMessage = failureMessage
    }
}
