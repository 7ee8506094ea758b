public import Foundation
public import Model

/// What a `BulkPublish` call on a pool does: the run it starts lasts `durationSeconds` and ends
/// with `outcome`.
public struct BulkPublishBehaviour: Sendable, Equatable {
    public var durationSeconds: TimeInterval
    /// `SUCCEEDED` or `FAILED`.
    public var outcome: BulkPublishStatus
    /// Sent with a `FAILED` outcome.
    public var failureMessage: String?

    public init(durationSeconds: TimeInterval = 10, outcome: BulkPublishStatus = .succeeded, failureMessage: String? = nil) {
        self.durationSeconds = durationSeconds
        self.outcome = outcome
        self.failureMessage = failureMessage
    }
}
