public import Foundation

/// The per-pool state machine over NOT_STARTED → IN_PROGRESS → SUCCEEDED / FAILED.
///
/// It takes what a poll saw (details or an error) and the current time, updates ``state`` and
/// returns the events to report. It does no IO: the caller reports the events and only then
/// persists ``state``, so an event is never lost to a crash between the two.
public struct PoolStateMachine: Sendable {
    public var pool: WatchedPool
    public private(set) var state: PoolState
    /// Until the first successful poll of a pool never seen before: a run found already
    /// finished is recorded as reported, not reported (a first start on pools with a history).
    private var baselinePending: Bool

    /// Starts from persisted state, or from nothing for a pool never seen before.
    /// - Parameter baseline: for a pool never seen before, take the first answer as known: a run
    ///   that had already finished is not news. A run in progress is reported as usual.
    public init(pool: WatchedPool, restoring state: PoolState? = nil, baseline: Bool = false) {
        self.pool = pool
        self.state = state ?? PoolState()
        baselinePending = baseline && state == nil
    }

    /// Feeds a successful poll.
    public mutating func observe(_ details: BulkPublishDetails, at now: Date) -> [WatchEvent] {
        guard let status = details.status else {
            return observe(
                PollFailure(kind: .transient, cause: .malformed, code: "MissingStatus", message: "the response has no BulkPublishStatus"),
                at: now
            )
        }
        var events: [WatchEvent] = []
        if let failure = state.failure {
            if failure.reported {
                events.append(event(
                    .pollRecovered, at: now, key: Self.key(failure.since), status: nil,
                    duration: Self.span(from: failure.since, to: now), errorCode: failure.code,
                    detail: "after \(failure.consecutiveFailures) failed polls"
                ))
            }
            state.failure = nil
        }

        switch status {
        case .notStarted:
            if var run = state.run {
                // The pool had runs; the service forgetting them is worth a warning, once per run.
                events += anomaly(
                    .statusWentBackwards, in: &run, at: now, status: status,
                    detail: "the service reports NOT_STARTED although a run that started \(Self.describe(run.startTime)) was seen"
                )
                state.run = run
            }
        case .inProgress, .succeeded, .failed, .unrecognized:
            events += observeRun(status: status, details: details, at: now)
        }
        state.lastStatus = status
        state.lastObservedAt = now
        baselinePending = false
        return events
    }

    /// Feeds a failed poll.
    public mutating func observe(_ failure: PollFailure, at now: Date) -> [WatchEvent] {
        var record = state.failure ?? FailureRecord(
            since: now, kind: failure.kind, code: failure.code, message: failure.message,
            consecutiveFailures: 0, reported: false
        )
        record.consecutiveFailures += 1
        let shouldReport: Bool
        if !record.reported {
            shouldReport = failure.kind.requiresAction || record.consecutiveFailures >= pool.settings.reportErrorsAfter
        } else {
            // Once reported, only a change for the worse is news: a transient outage turning into
            // a lasting error, or a different lasting error.
            shouldReport = failure.kind.requiresAction && (!record.kind.requiresAction || record.code != failure.code)
        }
        if shouldReport || !record.reported {
            record.kind = failure.kind
            record.code = failure.code
            record.message = failure.message
        }
        var events: [WatchEvent] = []
        if shouldReport {
            record.reported = true
            events.append(event(
                .pollFailing, at: now, key: Self.key(record.since) + "/" + failure.code, status: nil,
                duration: Self.span(from: record.since, to: now), errorCode: failure.code,
                detail: Self.failureDetail(failure, consecutive: record.consecutiveFailures)
            ))
        }
        state.failure = record
        return events
    }

    private mutating func observeRun(status: BulkPublishStatus, details: BulkPublishDetails, at now: Date) -> [WatchEvent] {
        var events: [WatchEvent] = []
        let previousStatus = state.lastStatus
        var run: RunRecord
        let isSameRun: Bool
        // The start time identifies the run; a response that omits it says nothing about a new
        // run, so it belongs to the run already known.
        if let existing = state.run, existing.startTime == details.startTime || details.startTime == nil {
            run = existing
            isSameRun = true
        } else {
            run = RunRecord(startTime: details.startTime, firstSeenAt: now, status: status)
            isSameRun = false
            if var old = state.run {
                if old.status == .inProgress, !old.hasFinished {
                    events += anomaly(
                        .previousOutcomeMissed, in: &old, at: now, status: status,
                        detail: "a new run started \(Self.describe(details.startTime)) while the run that started "
                            + "\(Self.describe(old.startTime)) was last seen IN_PROGRESS; its outcome is unknown"
                    )
                }
                if let oldStart = old.startTime, let newStart = details.startTime, newStart < oldStart {
                    events += anomaly(
                        .startTimeWentBackwards, in: &run, at: now, status: status,
                        detail: "the new run's start time \(Self.describe(newStart)) is before the previous run's \(Self.describe(oldStart))"
                    )
                }
            }
        }

        switch status {
        case .inProgress:
            if isSameRun, run.status.isFinished {
                events += anomaly(
                    .statusWentBackwards, in: &run, at: now, status: status,
                    detail: "the run that started \(Self.describe(run.startTime)) was \(run.status) and is now IN_PROGRESS again"
                )
            } else if !run.reported.contains(.started), !run.hasFinished {
                run.reported.insert(.started)
                events.append(event(.started, at: now, run: run, previousStatus: previousStatus, status: status, details: details))
            }
            let elapsed = Self.span(from: run.startTime ?? run.firstSeenAt, to: now)
            if elapsed >= pool.settings.stallAfter, !run.reported.contains(.stalled), !run.hasFinished {
                run.reported.insert(.stalled)
                var stalled = event(.stalled, at: now, run: run, previousStatus: previousStatus, status: status, details: details)
                stalled.duration = elapsed
                events.append(stalled)
            }
        case .succeeded, .failed:
            let milestone = Milestone.finished(status)
            if baselinePending, !isSameRun {
                // Finished before the watcher knew the pool: recorded, so it is never reported.
                run.reported.formUnion([.started, milestone])
            } else if !run.reported.contains(milestone) {
                if run.hasFinished {
                    events += anomaly(
                        .outcomeChanged, in: &run, at: now, status: status,
                        detail: "the run that started \(Self.describe(run.startTime)) was \(run.status) and is now \(status)"
                    )
                }
                run.reported.insert(milestone)
                var finished = event(
                    status == .succeeded ? .succeeded : .failed, at: now, run: run,
                    previousStatus: previousStatus, status: status, details: details
                )
                if let start = details.startTime, let end = details.completeTime {
                    finished.duration = Self.span(from: start, to: end)
                }
                events.append(finished)
            }
            if let start = details.startTime, let end = details.completeTime, end < start {
                events += anomaly(
                    .completedBeforeStart, in: &run, at: now, status: status,
                    detail: "the completion time \(Self.describe(end)) is before the start time \(Self.describe(start))"
                )
            }
        case .unrecognized(let raw):
            if !run.reported.contains(.unrecognized(raw)) {
                run.reported.insert(.unrecognized(raw))
                var unknown = event(.unrecognizedStatus, at: now, run: run, previousStatus: previousStatus, status: status, details: details)
                unknown.detail = "the service reported status '\(raw)', which this version does not know; "
                    + "polling goes on at the in-progress cadence"
                events.append(unknown)
            }
        case .notStarted:
            break
        }
        // An unknown status says nothing about the run's outcome; keep the last known one.
        if case .unrecognized = status {} else { run.status = status }
        run.completeTime = details.completeTime ?? run.completeTime
        switch status {
        case .failed: run.failureMessage = details.failureMessage.map(Self.keptFailureMessage) ?? run.failureMessage
        case .unrecognized: break
        case .notStarted, .inProgress, .succeeded: run.failureMessage = nil
        }
        state.run = run
        return events
    }

    // MARK: - Building events

    private func event(
        _ kind: WatchEvent.Kind, at now: Date, run: RunRecord, previousStatus: BulkPublishStatus?,
        status: BulkPublishStatus, details: BulkPublishDetails
    ) -> WatchEvent {
        WatchEvent(
            kind: kind, poolID: pool.id, poolName: pool.name, previousStatus: previousStatus, status: status,
            startTime: details.startTime, completeTime: details.completeTime,
            failureMessage: status == .failed ? details.failureMessage : nil,
            observedAt: now, identity: identity(kind, key: Self.key(run.startTime ?? run.firstSeenAt))
        )
    }

    private func event(
        _ kind: WatchEvent.Kind, at now: Date, key: String, status: BulkPublishStatus?,
        duration: Duration?, errorCode: String?, detail: String?
    ) -> WatchEvent {
        WatchEvent(
            kind: kind, poolID: pool.id, poolName: pool.name, previousStatus: state.lastStatus, status: status,
            startTime: state.run?.startTime, duration: duration, errorCode: errorCode, detail: detail,
            observedAt: now, identity: identity(kind, key: key)
        )
    }

    private func anomaly(
        _ anomaly: Anomaly, in run: inout RunRecord, at now: Date, status: BulkPublishStatus, detail: String
    ) -> [WatchEvent] {
        guard !run.reported.contains(.anomaly(anomaly)) else { return [] }
        run.reported.insert(.anomaly(anomaly))
        var event = WatchEvent(
            kind: .anomaly, poolID: pool.id, poolName: pool.name, previousStatus: state.lastStatus, status: status,
            startTime: run.startTime, completeTime: run.completeTime, anomaly: anomaly, detail: detail,
            observedAt: now, identity: identity(.anomaly, key: Self.key(run.startTime ?? run.firstSeenAt))
        )
        event.identity += "/" + anomaly.rawValue
        return [event]
    }

    private func identity(_ kind: WatchEvent.Kind, key: String) -> String {
        "\(pool.id)/\(key)/\(kind.rawValue)"
    }

    /// Milliseconds since the epoch: exact enough to tell runs apart, and stable in JSON.
    /// A run's failure message as the state keeps it: one line, at most 1 KiB (the event
    /// carries it whole).
    private static func keptFailureMessage(_ message: String) -> String {
        OneLineText.sanitize(message, maximumBytes: 1_024)
    }

    /// The time from `start` to `end` on the wall clock, as the service's timestamps give it.
    private static func span(from start: Date, to end: Date) -> Duration {
        .seconds(clamping: end.timeIntervalSince(start))
    }

    private static func key(_ date: Date) -> String {
        String(Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    private static func describe(_ date: Date?) -> String {
        guard let date else { return "at an unknown time" }
        return "at " + EventText.timestamp(date)
    }

    private static func failureDetail(_ failure: PollFailure, consecutive: Int) -> String {
        switch failure.kind {
        case .lasting, .unreachable:
            return failure.message
        case .transient, .throttled:
            return "\(failure.message) (\(consecutive) polls in a row failed)"
        }
    }
}

extension RunRecord {
    /// Whether an outcome of this run was already reported.
    var hasFinished: Bool {
        reported.contains(.finished(.succeeded)) || reported.contains(.finished(.failed))
    }
}
