public import Foundation

/// What the metrics show of one pool's state: a pure reading, so every rule (which status
/// counts as UNKNOWN, which time is the last transition) is tested without a metrics backend.
public struct PoolReading: Sendable, Equatable {
    /// One of ``MetricCatalog/statusValues``.
    public var status: String
    /// When the current status began, as the service's times say; nil when they do not.
    public var lastTransition: Date?
    public var runStart: Date?
    public var runComplete: Date?
    public var lastSuccessfulPoll: Date?

    public init(
        status: String, lastTransition: Date? = nil, runStart: Date? = nil, runComplete: Date? = nil, lastSuccessfulPoll: Date? = nil
    ) {
        self.status = status
        self.lastTransition = lastTransition
        self.runStart = runStart
        self.runComplete = runComplete
        self.lastSuccessfulPoll = lastSuccessfulPoll
    }

    /// The reading of a pool's state.
    public init(_ state: PoolState) {
        let status = state.lastStatus.map(Self.label) ?? "UNKNOWN"
        self.status = status
        runStart = state.run?.startTime
        runComplete = state.run?.completeTime
        lastSuccessfulPoll = state.lastObservedAt
        switch state.lastStatus {
        case .succeeded?, .failed?:
            lastTransition = state.run?.completeTime
        case .inProgress?:
            lastTransition = state.run.map { $0.startTime ?? $0.firstSeenAt }
        default:
            lastTransition = nil
        }
    }

    /// The `status` label of a status the service reported.
    static func label(_ status: BulkPublishStatus) -> String {
        if case .unrecognized = status { return "UNKNOWN" }
        return status.rawValue
    }
}
