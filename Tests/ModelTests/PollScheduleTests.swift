import Foundation
import Testing
@testable import Model

struct PollScheduleTests {
    static let settings = PoolSettings(
        inProgressInterval: 30, idleInterval: 600, finishedInterval: 300, stallAfter: 3600,
        reportErrorsAfter: 3, jitter: 0.1, errorBackoffBase: 5, errorBackoffMax: 300
    )

    @Test(arguments: [
        (BulkPublishStatus?.none, Duration.seconds(30)), (.inProgress, 30), (.unrecognized("NEW"), 30),
        (.notStarted, 600), (.succeeded, 300), (.failed, 300),
    ])
    func cadenceFollowsTheStatus(_ status: BulkPublishStatus?, _ expected: Duration) {
        #expect(PollSchedule.cadence(for: status, settings: Self.settings) == expected)
    }

    @Test func jitterOnlyBringsAPollEarlier() {
        var none = ConstantGenerator(value: 0)
        var most = ConstantGenerator(value: .max)
        let state = PoolState(lastStatus: .inProgress)
        #expect(PollSchedule.delay(after: state, settings: Self.settings, using: &none) == 30)
        let earliest = PollSchedule.delay(after: state, settings: Self.settings, using: &most)
        #expect(earliest >= 27 && earliest < 27.001)
        var seeded = SeededGenerator(state: 7)
        let delays = (0..<200).map { _ in PollSchedule.delay(after: state, settings: Self.settings, using: &seeded) }
        #expect(delays.allSatisfy { (27...30).contains($0) })
        #expect(Set(delays).count > 100, "jitter spreads polls out")
    }

    @Test(arguments: [(1, Duration.seconds(5)), (2, 10), (3, 20), (4, 40), (7, 300), (40, 300)])
    func errorBackoffDoublesUpToItsCap(_ failures: Int, _ ceiling: Duration) {
        let failure = FailureRecord(since: .now, kind: .transient, code: "HTTP 503", message: "", consecutiveFailures: failures, reported: false)
        var most = ConstantGenerator(value: .max)
        let longest = PollSchedule.errorDelay(failure: failure, settings: Self.settings, using: &most)
        #expect(longest.isClose(to: ceiling))
        var seeded = SeededGenerator(state: UInt64(failures))
        for _ in 0..<100 {
            let delay = PollSchedule.errorDelay(failure: failure, settings: Self.settings, using: &seeded)
            #expect(delay >= PollSchedule.minimumDelay && delay <= ceiling)
        }
    }

    @Test func fullJitterNeverGoesBelowTheFloor() {
        let failure = FailureRecord(since: .now, kind: .throttled, code: "ThrottlingException", message: "", consecutiveFailures: 1, reported: false)
        var none = ConstantGenerator(value: 0)
        #expect(PollSchedule.errorDelay(failure: failure, settings: Self.settings, using: &none) == PollSchedule.minimumDelay)
    }

    @Test func theServersRetryAfterHintIsHonoured() {
        let failure = FailureRecord(since: .now, kind: .throttled, code: "TooManyRequestsException", message: "", consecutiveFailures: 1, reported: false)
        var most = ConstantGenerator(value: .max)
        let state = PoolState(lastStatus: .inProgress, failure: failure)
        #expect(PollSchedule.delay(after: state, settings: Self.settings, retryAfter: 42, using: &most) == 42)
        #expect(PollSchedule.delay(after: state, settings: Self.settings, retryAfter: 2, using: &most).isClose(to: 5))
    }

    @Test(arguments: [1e6, 1e11, 1e300])
    func aHintIsHonouredOnlyUpToTheLongestBackoff(hint: Double) {
        let failure = FailureRecord(since: .now, kind: .throttled, code: "TooManyRequestsException", message: "", consecutiveFailures: 1, reported: false)
        var most = ConstantGenerator(value: .max)
        let state = PoolState(lastStatus: .inProgress, failure: failure)
        #expect(PollSchedule.delay(after: state, settings: Self.settings, retryAfter: .seconds(clamping: hint), using: &most) == Self.settings.errorBackoffMax)
    }

    @Test func lastingErrorsArePolledAtTheIdleCadence() {
        let failure = FailureRecord(since: .now, kind: .lasting, code: "NotAuthorizedException", message: "", consecutiveFailures: 9, reported: true)
        var random = SeededGenerator(state: 1)
        #expect(PollSchedule.delay(after: PoolState(lastStatus: .inProgress, failure: failure), settings: Self.settings, using: &random) == 600)
    }

    /// A broken way to the service (a certificate, a proxy) backs off as transient errors do,
    /// growing up to the longest backoff, never to the idle cadence.
    @Test func anUnreachableServiceIsRetriedWithTheErrorBackoff() {
        var most = ConstantGenerator(value: .max)
        for (failures, ceiling) in [(1, Duration.seconds(5)), (2, 10), (3, 20), (9, 300)] {
            let failure = FailureRecord(since: .now, kind: .unreachable, code: "CertificateUntrusted", message: "", consecutiveFailures: failures, reported: true)
            #expect(PollSchedule.delay(after: PoolState(lastStatus: .inProgress, failure: failure), settings: Self.settings, using: &most).isClose(to: ceiling, within: .nanoseconds(1)))
        }
    }
}

struct RequestRateLimiterTests {
    @Test func allowsABurstThenSpacesRequestsAtTheRate() {
        var limiter = RequestRateLimiter(rate: 2, burst: 2)
        #expect(limiter.acquire(at: 0) == nil)
        #expect(limiter.acquire(at: 0) == nil)
        #expect(limiter.acquire(at: 0) == 0.5)
        #expect(limiter.acquire(at: 0.25) == 0.25)
        #expect(limiter.acquire(at: 0.5) == nil)
        #expect(limiter.acquire(at: 0.5) == 0.5)
    }

    @Test func neverExceedsTheRateOverALongRun() {
        var limiter = RequestRateLimiter(rate: 10)
        var granted = 0
        var now: MonotonicInstant = 0
        while now < 100 {
            if limiter.acquire(at: now) == nil { granted += 1 }
            now += .milliseconds(1)
        }
        #expect(granted <= 10 * 100 + 10)
        #expect(granted >= 10 * 100 - 1)
    }

    @Test func aRateBelowOneStillAllowsOneRequest() {
        var limiter = RequestRateLimiter(rate: 0.5)
        #expect(limiter.acquire(at: 0) == nil)
        #expect(limiter.acquire(at: 0) == 2)
    }

    @Test func timeGoingBackwardsGrantsNothingExtra() {
        var limiter = RequestRateLimiter(rate: 1, burst: 1)
        #expect(limiter.acquire(at: 100) == nil)
        #expect(limiter.acquire(at: 50) != nil)
        #expect(limiter.acquire(at: 100) != nil)
        #expect(limiter.acquire(at: 101) == nil)
    }
}

struct RegionThrottleTests {
    @Test func throttlingPausesTheWholeRegionAndBacksOff() {
        var throttle = RegionThrottle(basePause: 1, maximumPause: 8)
        throttle.recordThrottling(in: "us-east-1", at: 0)
        #expect(throttle.pausedUntil(region: "us-east-1", at: 0.5) == 1)
        #expect(throttle.pausedUntil(region: "eu-west-1", at: 0.5) == nil)
        #expect(throttle.pausedUntil(region: "us-east-1", at: 1) == nil)
        throttle.recordThrottling(in: "us-east-1", at: 1)
        #expect(throttle.pausedUntil(region: "us-east-1", at: 1) == 3)
        for _ in 0..<10 { throttle.recordThrottling(in: "us-east-1", at: 10) }
        #expect(throttle.pausedUntil(region: "us-east-1", at: 10) == 18)
        throttle.recordSuccess(in: "us-east-1")
        throttle.recordThrottling(in: "us-east-1", at: 100)
        #expect(throttle.pausedUntil(region: "us-east-1", at: 100) == 101)
    }

    @Test func aRetryAfterHintLongerThanTheBackoffWins() {
        var throttle = RegionThrottle(basePause: 1, maximumPause: 8)
        throttle.recordThrottling(in: "us-east-1", at: 0, retryAfter: 30)
        #expect(throttle.pausedUntil(region: "us-east-1", at: 0) == 30)
    }

    @Test func aHintPausesTheRegionOnlyUpToTheLongestHintedPause() {
        var throttle = RegionThrottle(basePause: 1, maximumPause: 8, longestHintedPause: 300)
        throttle.recordThrottling(in: "us-east-1", at: 0, retryAfter: 1e11)
        #expect(throttle.pausedUntil(region: "us-east-1", at: 0) == 300)
    }
}
