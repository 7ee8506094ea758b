public import Foundation

/// Which run of a pool `wait` waits for.
public enum RunRequirement: Sendable, Equatable {
    /// The pool's latest run, however old: one that has already finished is the answer at once.
    case latestRun
    /// A run that starts later than the one that was latest at the first look (with `--start`,
    /// the look just before `BulkPublish`). Runs are told apart by their own start times, never
    /// by the local clock, so a clock out of step with the service's cannot hide the new run or
    /// pass off the old one.
    case newRun
    /// A run whose `BulkPublishStartTime` is at or after the given time, and no other.
    case startedSince(Date)
}
