import Foundation
import Model

/// What `GetBulkPublishDetails` reports for a pool at a given moment, derived from its timeline.
///
/// The rules, applied to the entries whose `at` has passed, in order:
/// - `NOT_STARTED` clears any run: no times are reported.
/// - `IN_PROGRESS` starts a run at its `at` (or its `startedAt`) unless one is already open, in
///   which case it continues that run (a `startedAt` still replaces the start time).
/// - `SUCCEEDED` / `FAILED` complete the open run at their `at`; without an open run they stand
///   for a run that started at their `startedAt`, or at their `at` when none is given.
/// - Any other status keeps whatever times were reported before it.
enum PoolTimeline {
    /// The details at `time` seconds after `start`; `entries` must be in ascending order of `at`.
    static func details(
        for pool: IdentityPoolID,
        entries: [TimelineEntry],
        at time: TimeInterval,
        start: Date
    ) -> BulkPublishDetails {
        var status = BulkPublishStatus.notStarted
        var runStart: TimeInterval?
        var runOpen = false
        var completed: TimeInterval?
        var failureMessage: String?
        for entry in entries where entry.at <= time {
            failureMessage = nil
            switch entry.status {
            case .notStarted:
                runStart = nil
                runOpen = false
                completed = nil
            case .inProgress:
                if let startedAt = entry.startedAt {
                    runStart = startedAt
                } else if !runOpen {
                    runStart = entry.at
                }
                runOpen = true
                completed = nil
            case .succeeded, .failed:
                if let startedAt = entry.startedAt {
                    runStart = startedAt
                } else if !runOpen {
                    runStart = entry.at
                }
                runOpen = false
                completed = entry.at
                if entry.status == .failed {
                    failureMessage = entry.failureMessage
                }
            case .unrecognized:
                if let startedAt = entry.startedAt {
                    runStart = startedAt
                }
            }
            status = entry.status
        }
        return BulkPublishDetails(
            identityPoolID: pool.rawValue,
            status: status,
            startTime: runStart.map { start.addingTimeInterval($0) },
            completeTime: completed.map { start.addingTimeInterval($0) },
            failureMessage: failureMessage
        )
    }

    /// Merges runs started through `BulkPublish` into the scripted timeline; at equal times the
    /// started run comes last, so it wins.
    static func merged(_ scripted: [TimelineEntry], _ started: [TimelineEntry]) -> [TimelineEntry] {
        guard !started.isEmpty else { return scripted }
        let tagged = scripted.enumerated().map { (order: 0, index: $0.offset, entry: $0.element) }
            + started.enumerated().map { (order: 1, index: $0.offset, entry: $0.element) }
        return tagged.sorted { lhs, rhs in
            if lhs.entry.at != rhs.entry.at { return lhs.entry.at < rhs.entry.at }
            if lhs.order != rhs.order { return lhs.order < rhs.order }
            return lhs.index < rhs.index
        }.map(\.entry)
    }
}
