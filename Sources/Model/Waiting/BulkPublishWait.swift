public import Foundation

/// What `wait` does next for one pool.
public enum WaitAction: Sendable, Equatable {
    /// Call `GetBulkPublishDetails` after this long.
    case fetchDetails(after: Duration)
    /// Call `BulkPublish` after this long.
    case startBulkPublish(after: Duration)
    /// Done with this pool.
    case finish(WaitOutcome)
}

/// The next action, with what changed (nil when nothing did).
public struct WaitStep: Sendable, Equatable {
    public var action: WaitAction
    public var progress: WaitProgress?

    public init(action: WaitAction, progress: WaitProgress? = nil) {
        self.action = action
        self.progress = progress
    }
}

/// How a `BulkPublish` call ended, as the waiting policy needs to know it.
public enum BulkPublishStartResult: Sendable, Equatable {
    /// The service accepted it: a new run starts now.
    case accepted
    /// `DuplicateRequestException`: a run is already in progress.
    case alreadyInProgress
    /// `AlreadyStreamedException`: a run already SUCCEEDED in the last 24 hours.
    case alreadyStreamed(PollFailure)
    /// Any other failure.
    case failed(PollFailure)
}

/// Decides, from each observation of one pool, whether `wait` is done, with which outcome, what
/// changed for the person waiting, and when to look again.
///
/// It does no IO: the caller performs the ``WaitAction`` it asks for, feeds back the answer and
/// the time, and shows the ``WaitProgress``. Cadences and the backoff after errors come from
/// ``PollSchedule``, driven by the `settings` given (``defaultSettings`` unless the user chose an
/// interval).
///
/// With `startsBulkPublish`, the pool is read once before `BulkPublish` is called: that run is
/// the one a new run must differ from, whatever the clocks say.
public struct BulkPublishWait: Sendable {
    private enum Phase: Sendable {
        case readingBaseline
        case starting
        case waiting
        case finished
    }

    /// The run that was latest before the wait (or the start), identified by its start time.
    private struct RunMark: Sendable {
        var startTime: Date?
        var status: BulkPublishStatus
    }

    public let pool: WatchedPool
    /// What counts as the run waited for; `--start` narrows it once the call is answered.
    public private(set) var requirement: RunRequirement
    public let settings: PoolSettings
    private let startsBulkPublish: Bool
    private var phase: Phase = .waiting
    private var baseline: RunMark?
    private var failure: FailureRecord?
    private var lastProgress: WaitProgress?

    /// Cadences for an interactive wait: every 5 s while a run is IN_PROGRESS, every 10 s while
    /// nothing is happening, backoff from 1 s up to 30 s after errors.
    public static let defaultSettings = PoolSettings(
        inProgressInterval: .seconds(5), idleInterval: .seconds(10), finishedInterval: .seconds(10),
        stallAfter: .seconds(30 * 86_400), reportErrorsAfter: 1, jitter: 0.1,
        errorBackoffBase: .seconds(1), errorBackoffMax: .seconds(30)
    )

    /// The same interval whatever the status, for `--interval`; errors still back off.
    public static func settings(fixedInterval interval: Duration) -> PoolSettings {
        var settings = defaultSettings
        settings.inProgressInterval = interval
        settings.idleInterval = interval
        settings.finishedInterval = interval
        settings.errorBackoffMax = max(settings.errorBackoffMax, interval)
        return settings
    }

    /// - Parameters:
    ///   - requirement: which run counts. With `startsBulkPublish`, ``RunRequirement/latestRun``
    ///     and ``RunRequirement/newRun`` both mean the run the call starts (or the one it finds
    ///     in progress); ``RunRequirement/startedSince(_:)`` stays as given.
    ///   - startsBulkPublish: call `BulkPublish` first (`--start`).
    public init(pool: WatchedPool, requirement: RunRequirement, startsBulkPublish: Bool = false, settings: PoolSettings = defaultSettings) {
        self.pool = pool
        self.requirement = requirement
        self.startsBulkPublish = startsBulkPublish
        self.settings = settings
    }

    /// The first action: read the pool now.
    public mutating func begin() -> WaitStep {
        phase = startsBulkPublish ? .readingBaseline : .waiting
        return WaitStep(action: .fetchDetails(after: .zero))
    }

    /// Feeds the answer of `GetBulkPublishDetails`.
    public mutating func received(_ details: BulkPublishDetails, at now: Date, using random: inout some RandomNumberGenerator) -> WaitStep {
        guard let status = details.status else {
            return failed(PollFailure(kind: .transient, cause: .malformed, code: "MissingStatus", message: "the response has no BulkPublishStatus"), at: now, using: &random)
        }
        failure = nil
        switch phase {
        case .readingBaseline:
            baseline = RunMark(startTime: details.startTime, status: status)
            phase = .starting
            return WaitStep(action: .startBulkPublish(after: .zero))
        case .finished, .starting:
            // Not asked for; judged like any observation so nothing is lost.
            phase = .waiting
            return judge(details, status: status, using: &random)
        case .waiting:
            if requirement == .newRun, baseline == nil {
                baseline = RunMark(startTime: details.startTime, status: status)
            }
            return judge(details, status: status, using: &random)
        }
    }

    /// Feeds a failed `GetBulkPublishDetails` (or, in ``BulkPublishStartResult/failed(_:)``, a
    /// failed `BulkPublish`).
    public mutating func failed(_ failure: PollFailure, at now: Date, using random: inout some RandomNumberGenerator) -> WaitStep {
        if failure.kind.requiresAction {
            return finish(.cannotWait(failure), WaitProgress(kind: .cannotWait, failure: failure))
        }
        var record = self.failure ?? FailureRecord(
            since: now, kind: failure.kind, code: failure.code, message: failure.message, consecutiveFailures: 0, reported: true
        )
        record.consecutiveFailures += 1
        record.kind = failure.kind
        record.code = failure.code
        record.message = failure.message
        self.failure = record
        let delay = PollSchedule.errorDelay(failure: record, settings: settings, retryAfter: failure.retryAfter, using: &random)
        let starting = phase == .starting
        let progress = WaitProgress(kind: .retrying, failure: failure, operation: starting ? .bulkPublish : .getBulkPublishDetails)
        return WaitStep(action: starting ? .startBulkPublish(after: delay) : .fetchDetails(after: delay), progress: changed(progress))
    }

    /// Feeds how `BulkPublish` ended.
    public mutating func startResult(_ result: BulkPublishStartResult, at now: Date, using random: inout some RandomNumberGenerator) -> WaitStep {
        switch result {
        case .failed(let failure):
            return failed(failure, at: now, using: &random)
        case .alreadyStreamed(let failure):
            return finish(.alreadyStreamed(failure), WaitProgress(kind: .alreadyStreamed, failure: failure))
        case .accepted:
            failure = nil
            phase = .waiting
            if case .startedSince = requirement {} else { requirement = .newRun }
            return WaitStep(action: .fetchDetails(after: .zero), progress: changed(WaitProgress(kind: .bulkPublishStarted)))
        case .alreadyInProgress:
            failure = nil
            phase = .waiting
            if case .startedSince = requirement {} else if baseline?.status == .inProgress {
                // The run seen before the call is the one in progress: it is the one to wait for.
                requirement = .latestRun
            } else {
                // A run started between the read and the call: anything later than the read counts.
                requirement = .newRun
            }
            return WaitStep(action: .fetchDetails(after: .zero), progress: changed(WaitProgress(kind: .joinedRunInProgress)))
        }
    }

    // MARK: - Judging an observation

    private mutating func judge(_ details: BulkPublishDetails, status: BulkPublishStatus, using random: inout some RandomNumberGenerator) -> WaitStep {
        if status == .notStarted {
            return keepWaiting(WaitProgress(kind: .waitingForFirstRun, details: details), status: status, using: &random)
        }
        guard counts(details) else {
            return keepWaiting(WaitProgress(kind: .waitingForNewRun, details: details, requirement: requirement), status: status, using: &random)
        }
        switch status {
        case .succeeded:
            return finish(.succeeded(details), WaitProgress(kind: .succeeded, details: details))
        case .failed:
            return finish(.failed(details), WaitProgress(kind: .failed, details: details))
        case .inProgress:
            return keepWaiting(WaitProgress(kind: .inProgress, details: details), status: status, using: &random)
        case .unrecognized, .notStarted:
            return keepWaiting(WaitProgress(kind: .unrecognizedStatus, details: details), status: status, using: &random)
        }
    }

    /// Whether the run `details` describe is the one waited for.
    private func counts(_ details: BulkPublishDetails) -> Bool {
        switch requirement {
        case .latestRun:
            return true
        case .startedSince(let since):
            return details.startTime.map { $0 >= since } ?? false
        case .newRun:
            guard let start = details.startTime, let baseline else { return false }
            guard let baselineStart = baseline.startTime else { return true }
            return start > baselineStart
        }
    }

    private mutating func keepWaiting(_ progress: WaitProgress, status: BulkPublishStatus, using random: inout some RandomNumberGenerator) -> WaitStep {
        let delay = PollSchedule.delay(after: PoolState(lastStatus: status), settings: settings, using: &random)
        return WaitStep(action: .fetchDetails(after: delay), progress: changed(progress))
    }

    private mutating func finish(_ outcome: WaitOutcome, _ progress: WaitProgress) -> WaitStep {
        phase = .finished
        lastProgress = progress
        return WaitStep(action: .finish(outcome), progress: progress)
    }

    /// `progress` if it tells something new; a repeat of the last change is not shown again.
    private mutating func changed(_ progress: WaitProgress) -> WaitProgress? {
        if let lastProgress, lastProgress.isSameChange(as: progress) { return nil }
        lastProgress = progress
        return progress
    }
}
