import Foundation
import Testing
@testable import Model

/// The waiting policy of `wait`, driven with no IO: observations in, actions and progress out.
final class BulkPublishWaitTests {
    private static let pool = WatchedPool(id: Fixture.poolID, name: "game-prod")
    /// No jitter and the shortest backoff: every delay is its nominal value.
    private var low = ConstantGenerator(value: 0)
    /// The longest backoff full jitter allows.
    private var high = ConstantGenerator(value: .max)

    private static func details(_ status: BulkPublishStatus, started: TimeInterval? = nil, completed: TimeInterval? = nil, message: String? = nil) -> BulkPublishDetails {
        BulkPublishDetails(
            identityPoolID: Fixture.poolID.rawValue, status: status, startTime: started.map(Fixture.at),
            completeTime: completed.map(Fixture.at), failureMessage: message
        )
    }

    private static let throttled = PollFailure(kind: .throttled, code: "TooManyRequestsException", message: "Rate exceeded")
    private static let unavailable = PollFailure(kind: .transient, code: "ServiceUnavailable", message: "Service Unavailable")
    private static let notFound = PollFailure(kind: .lasting, code: "ResourceNotFoundException", message: "IdentityPool not found.")

    // MARK: - The latest run

    @Test func aRunThatHasAlreadyFinishedIsTheAnswerAtOnce() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        #expect(wait.begin() == WaitStep(action: .fetchDetails(after: 0)))
        let done = Self.details(.succeeded, started: 0, completed: 600)
        let step = wait.received(done, at: Fixture.at(7200), using: &low)
        #expect(step.action == .finish(.succeeded(done)))
        #expect(step.progress?.kind == .succeeded)
        #expect(step.progress?.message == "SUCCEEDED after 10m (started 2027-01-15T08:00:00Z)")
    }

    @Test func aFailedRunEndsWithItsFailureMessage() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        let failed = Self.details(.failed, started: 0, completed: 30, message: "Unable to write to Kinesis stream 'x'.")
        let step = wait.received(failed, at: Fixture.at(60), using: &low)
        #expect(step.action == .finish(.failed(failed)))
        #expect(step.progress?.message.hasSuffix(": Unable to write to Kinesis stream 'x'.") == true)
    }

    @Test func notStartedIsWaitedOnWithOneLineSayingNoBulkPublishWasRequested() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        let first = wait.received(Self.details(.notStarted), at: Fixture.at(0), using: &low)
        #expect(first.action == .fetchDetails(after: BulkPublishWait.defaultSettings.idleInterval))
        #expect(first.progress?.kind == .waitingForFirstRun)
        #expect(first.progress?.message.contains("no bulk publish has been requested yet") == true)
        // The same again is not news.
        #expect(wait.received(Self.details(.notStarted), at: Fixture.at(10), using: &low).progress == nil)

        let running = wait.received(Self.details(.inProgress, started: 15), at: Fixture.at(20), using: &low)
        #expect(running.action == .fetchDetails(after: BulkPublishWait.defaultSettings.inProgressInterval))
        #expect(running.progress?.kind == .inProgress)
        #expect(wait.received(Self.details(.inProgress, started: 15), at: Fixture.at(25), using: &low).progress == nil)

        let done = Self.details(.succeeded, started: 15, completed: 28)
        #expect(wait.received(done, at: Fixture.at(30), using: &low).action == .finish(.succeeded(done)))
    }

    @Test func anUnknownStatusIsShownOnceAndWaitedThrough() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        let paused = Self.details(.unrecognized("PAUSED"), started: 0)
        let step = wait.received(paused, at: Fixture.at(5), using: &low)
        #expect(step.action == .fetchDetails(after: BulkPublishWait.defaultSettings.inProgressInterval))
        #expect(step.progress?.kind == .unrecognizedStatus)
        #expect(step.progress?.message.contains("'PAUSED'") == true)
    }

    @Test func aResponseWithoutAStatusIsRetriedLikeATransientError() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        let step = wait.received(BulkPublishDetails(status: nil), at: Fixture.at(0), using: &low)
        #expect(step.action == .fetchDetails(after: PollSchedule.minimumDelay))
        #expect(step.progress?.failure?.code == "MissingStatus")
    }

    // MARK: - A new run

    @Test func newRunIgnoresTheRunThatWasLatestAtTheFirstLook() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .newRun)
        _ = wait.begin()
        let old = Self.details(.succeeded, started: 0, completed: 60)
        let first = wait.received(old, at: Fixture.at(3600), using: &low)
        #expect(first.action == .fetchDetails(after: BulkPublishWait.defaultSettings.finishedInterval))
        #expect(first.progress?.kind == .waitingForNewRun)
        #expect(first.progress?.message.contains("is from before this wait; waiting for a new run") == true)
        #expect(wait.received(old, at: Fixture.at(3610), using: &low).progress == nil)

        // The new run's start time is before the local "now": a clock running ahead of the
        // service's must not hide it.
        let running = wait.received(Self.details(.inProgress, started: 3500), at: Fixture.at(3620), using: &low)
        #expect(running.progress?.kind == .inProgress)
        let failed = Self.details(.failed, started: 3500, completed: 3600, message: "boom")
        #expect(wait.received(failed, at: Fixture.at(3630), using: &low).action == .finish(.failed(failed)))
    }

    @Test func newRunAfterNotStartedTakesTheFirstRun() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .newRun)
        _ = wait.begin()
        #expect(wait.received(Self.details(.notStarted), at: Fixture.at(0), using: &low).progress?.kind == .waitingForFirstRun)
        let done = Self.details(.succeeded, started: 5, completed: 9)
        #expect(wait.received(done, at: Fixture.at(10), using: &low).action == .finish(.succeeded(done)))
    }

    @Test func sinceCountsRunsStartedAtOrAfterTheTimeOnly() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .startedSince(Fixture.at(100)))
        _ = wait.begin()
        let before = wait.received(Self.details(.succeeded, started: 99, completed: 99.5), at: Fixture.at(120), using: &low)
        #expect(before.progress?.kind == .waitingForNewRun)
        #expect(before.progress?.message.contains("started before 2027-01-15T08:01:40Z") == true)
        let atTheMoment = Self.details(.succeeded, started: 100, completed: 110)
        #expect(wait.received(atTheMoment, at: Fixture.at(130), using: &low).action == .finish(.succeeded(atTheMoment)))
    }

    // MARK: - Errors

    @Test func transientErrorsBackOffAndAreShownOncePerErrorCode() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        let first = wait.failed(Self.unavailable, at: Fixture.at(0), using: &high)
        #expect(first.progress?.kind == .retrying)
        #expect(first.progress?.operation == .getBulkPublishDetails)
        #expect(first.progress?.message.contains("ServiceUnavailable") == true)
        var delays: [Duration] = []
        if case .fetchDetails(let delay) = first.action { delays.append(delay) }
        for attempt in 1...6 {
            let step = wait.failed(Self.unavailable, at: Fixture.at(Double(attempt)), using: &high)
            #expect(step.progress == nil)
            if case .fetchDetails(let delay) = step.action { delays.append(delay) }
        }
        // Full jitter at its top: 1, 2, 4, 8, 16, then the 30 s ceiling.
        #expect(delays.map { $0.seconds.rounded() } == [1, 2, 4, 8, 16, 30, 30])

        let otherCode = wait.failed(Self.throttled, at: Fixture.at(10), using: &low)
        #expect(otherCode.progress?.failure?.code == "TooManyRequestsException")
    }

    @Test func aRetryAfterHintIsHonoured() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        var hinted = Self.throttled
        hinted.retryAfter = 7
        #expect(wait.failed(hinted, at: Fixture.at(0), using: &low).action == .fetchDetails(after: 7))
    }

    @Test func afterAnOutageTheStatusIsShownAgainEvenIfUnchanged() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        let running = Self.details(.inProgress, started: 0)
        #expect(wait.received(running, at: Fixture.at(1), using: &low).progress?.kind == .inProgress)
        #expect(wait.failed(Self.unavailable, at: Fixture.at(2), using: &low).progress?.kind == .retrying)
        let back = wait.received(running, at: Fixture.at(3), using: &low)
        #expect(back.progress?.kind == .inProgress)
        // The backoff starts afresh after a success.
        #expect(wait.failed(Self.unavailable, at: Fixture.at(4), using: &high).action == .fetchDetails(after: 1))
    }

    @Test func anErrorWaitingCannotFixEndsTheWait() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = wait.begin()
        let step = wait.failed(Self.notFound, at: Fixture.at(0), using: &low)
        #expect(step.action == .finish(.cannotWait(Self.notFound)))
        #expect(step.progress?.message == "cannot wait: ResourceNotFoundException: IdentityPool not found.")
        // A broken way to the service (a certificate, a proxy) ends it too: waiting cannot fix it.
        var unreachable = BulkPublishWait(pool: Self.pool, requirement: .latestRun)
        _ = unreachable.begin()
        let untrusted = PollFailure(kind: .unreachable, code: "CertificateUntrusted", message: "the certificate of …")
        #expect(unreachable.failed(untrusted, at: Fixture.at(0), using: &low).action == .finish(.cannotWait(untrusted)))
    }

    // MARK: - Starting a run first

    @Test func startReadsThePoolThenCallsBulkPublishThenWaitsForTheNewRun() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun, startsBulkPublish: true)
        #expect(wait.begin().action == .fetchDetails(after: 0))
        let old = Self.details(.failed, started: 0, completed: 60, message: "old failure")
        let read = wait.received(old, at: Fixture.at(100), using: &low)
        #expect(read == WaitStep(action: .startBulkPublish(after: 0)))

        let accepted = wait.startResult(.accepted, at: Fixture.at(101), using: &low)
        #expect(accepted.action == .fetchDetails(after: 0))
        #expect(accepted.progress?.kind == .bulkPublishStarted)
        #expect(wait.requirement == .newRun)

        // The service has not caught up yet: the old FAILED run must not end the wait.
        #expect(wait.received(old, at: Fixture.at(101), using: &low).progress?.kind == .waitingForNewRun)
        #expect(wait.received(Self.details(.inProgress, started: 101), at: Fixture.at(106), using: &low).progress?.kind == .inProgress)
        let done = Self.details(.succeeded, started: 101, completed: 140)
        #expect(wait.received(done, at: Fixture.at(141), using: &low).action == .finish(.succeeded(done)))
    }

    @Test func startFindingTheRunSeenInProgressWaitsForThatRun() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .newRun, startsBulkPublish: true)
        _ = wait.begin()
        _ = wait.received(Self.details(.inProgress, started: 50), at: Fixture.at(100), using: &low)
        let duplicate = wait.startResult(.alreadyInProgress, at: Fixture.at(101), using: &low)
        #expect(duplicate.progress?.kind == .joinedRunInProgress)
        #expect(duplicate.progress?.message.contains("DuplicateRequestException") == true)
        #expect(wait.requirement == .latestRun)
        let done = Self.details(.succeeded, started: 50, completed: 120)
        #expect(wait.received(done, at: Fixture.at(121), using: &low).action == .finish(.succeeded(done)))
    }

    @Test func startFindingARunThatBeganAfterTheReadWaitsForThatNewerRun() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun, startsBulkPublish: true)
        _ = wait.begin()
        let old = Self.details(.failed, started: 0, completed: 10, message: "old")
        _ = wait.received(old, at: Fixture.at(100), using: &low)
        _ = wait.startResult(.alreadyInProgress, at: Fixture.at(101), using: &low)
        #expect(wait.requirement == .newRun)
        #expect(wait.received(old, at: Fixture.at(101), using: &low).progress?.kind == .waitingForNewRun)
        let newer = Self.details(.succeeded, started: 100.5, completed: 130)
        #expect(wait.received(newer, at: Fixture.at(131), using: &low).action == .finish(.succeeded(newer)))
    }

    @Test func startWithSinceKeepsTheGivenTime() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .startedSince(Fixture.at(60)), startsBulkPublish: true)
        _ = wait.begin()
        _ = wait.received(Self.details(.inProgress, started: 50), at: Fixture.at(100), using: &low)
        _ = wait.startResult(.alreadyInProgress, at: Fixture.at(101), using: &low)
        #expect(wait.requirement == .startedSince(Fixture.at(60)))
        #expect(wait.received(Self.details(.succeeded, started: 50, completed: 110), at: Fixture.at(111), using: &low).progress?.kind == .waitingForNewRun)
    }

    @Test func aRefusedStartEndsTheWait() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun, startsBulkPublish: true)
        _ = wait.begin()
        _ = wait.received(Self.details(.succeeded, started: 0, completed: 10), at: Fixture.at(100), using: &low)
        let refusal = PollFailure(kind: .lasting, code: "AlreadyStreamedException", message: "already streamed")
        let step = wait.startResult(.alreadyStreamed(refusal), at: Fixture.at(101), using: &low)
        #expect(step.action == .finish(.alreadyStreamed(refusal)))
        #expect(step.progress?.kind == .alreadyStreamed)
    }

    @Test func aFailingStartIsRetriedOrEndsTheWaitByKind() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun, startsBulkPublish: true)
        _ = wait.begin()
        _ = wait.received(Self.details(.notStarted), at: Fixture.at(0), using: &low)
        let retry = wait.startResult(.failed(Self.unavailable), at: Fixture.at(1), using: &low)
        #expect(retry.action == .startBulkPublish(after: PollSchedule.minimumDelay))
        #expect(retry.progress?.operation == .bulkPublish)
        #expect(retry.progress?.message.hasPrefix("BulkPublish failed (ServiceUnavailable") == true)
        let denied = PollFailure(kind: .lasting, code: "NotAuthorizedException", message: "not allowed")
        #expect(wait.startResult(.failed(denied), at: Fixture.at(2), using: &low).action == .finish(.cannotWait(denied)))
    }

    @Test func aFailedReadBeforeTheStartIsRetriedAsARead() {
        var wait = BulkPublishWait(pool: Self.pool, requirement: .latestRun, startsBulkPublish: true)
        _ = wait.begin()
        #expect(wait.failed(Self.unavailable, at: Fixture.at(0), using: &low).action == .fetchDetails(after: 1))
        #expect(wait.received(Self.details(.notStarted), at: Fixture.at(1), using: &low).action == .startBulkPublish(after: 0))
    }

    // MARK: - Cadences and outcomes

    @Test func aFixedIntervalAppliesWhateverTheStatus() {
        let settings = BulkPublishWait.settings(fixedInterval: 3)
        var noJitter = settings
        noJitter.jitter = 0
        for status in [BulkPublishStatus.notStarted, .inProgress, .succeeded, .failed] {
            #expect(PollSchedule.delay(after: PoolState(lastStatus: status), settings: noJitter, using: &low) == 3)
        }
    }

    @Test(arguments: [
        ([WaitOutcome.succeeded(BulkPublishDetails(status: .succeeded)), .timedOut], WaitOutcome.timedOut),
        ([.timedOut, .alreadyStreamed(unavailable)], .alreadyStreamed(unavailable)),
        ([.alreadyStreamed(unavailable), .failed(BulkPublishDetails(status: .failed)), .timedOut], .failed(BulkPublishDetails(status: .failed))),
        ([.failed(BulkPublishDetails(status: .failed)), .cannotWait(notFound), .succeeded(BulkPublishDetails(status: .succeeded))], .cannotWait(notFound)),
    ])
    func theWorstOutcomeDecides(outcomes: [WaitOutcome], worst: WaitOutcome) {
        #expect(WaitOutcome.worst(of: outcomes) == worst)
    }

    @Test func noOutcomesHaveNoWorst() {
        #expect(WaitOutcome.worst(of: []) == nil)
    }
}
