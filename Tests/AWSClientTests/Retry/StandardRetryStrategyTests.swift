import AWSClient
import AWSCore
import AWSCredentialProviders
import Testing

struct StandardRetryStrategyTests {
    static func magnitude(_ duration: Duration) -> Duration {
        duration < .zero ? .zero - duration : duration
    }

    static let throttled = AttemptFailure.service(
        AWSServiceError(statusCode: 400, code: "ThrottlingException", message: nil, requestID: nil)
    )
    static let unavailable = AttemptFailure.service(
        AWSServiceError(statusCode: 503, code: "503", message: "Service Unavailable", requestID: nil)
    )
    static let notAuthorized = AttemptFailure.service(
        AWSServiceError(statusCode: 403, code: "NotAuthorizedException", message: nil, requestID: nil)
    )

    static func strategy(
        maxAttempts: Int = 3,
        quota: RetryQuota = RetryQuota(),
        random: Double = 0.5
    ) -> StandardRetryStrategy {
        StandardRetryStrategy(maxAttempts: maxAttempts, quota: quota, random: { random })
    }

    @Test(
        arguments: [
            (throttled, true),
            (unavailable, true),
            (AttemptFailure.connection, true),
            (.timeout, true),
            (notAuthorized, false),
            (.permanent, false),
            (.service(AWSServiceError(statusCode: 429, code: "429", message: nil, requestID: nil)), false),
            (
                .service(
                    AWSServiceError(statusCode: 400, code: "RequestTimeoutException", message: nil, requestID: nil)
                ), true
            ),
            (
                .service(
                    AWSServiceError(statusCode: 500, code: "InternalErrorException", message: nil, requestID: nil)
                ), true
            ),
        ] as [(AttemptFailure, Bool)]
    )
    func whichFailuresAreRetried(failure: AttemptFailure, retried: Bool) {
        var state = RetryState()
        let decision = Self.strategy().decision(after: failure, state: &state)
        if retried {
            #expect(decision == .retry(after: .milliseconds(500)))
            #expect(state.attempt == 2)
        } else {
            #expect(decision == .giveUp(.notRetryable))
            #expect(state.attempt == 1)
        }
    }

    @Test(arguments: [1, 2, 3, 5])
    func attemptsStopAtTheMaximum(maxAttempts: Int) {
        let strategy = Self.strategy(maxAttempts: maxAttempts)
        var state = RetryState()
        var retries = 0
        while case .retry = strategy.decision(after: Self.unavailable, state: &state) {
            retries += 1
        }
        #expect(retries == maxAttempts - 1)
        #expect(state.attempt == maxAttempts)
        #expect(strategy.decision(after: Self.unavailable, state: &state) == .giveUp(.maxAttemptsReached))
    }

    @Test(arguments: [
        (0.0, [0.0, 0.0, 0.0]),
        (0.5, [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]),
        (0.999, [0.999, 1.998, 3.996, 7.992, 15.984, 19.98, 19.98]),
        (1.0, [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0, 20.0]),
    ])
    func delayIsFullJitterOverACappedExponential(random: Double, seconds: [Double]) {
        let strategy = Self.strategy(maxAttempts: seconds.count + 1, random: random)
        var state = RetryState()
        for expected in seconds {
            guard case .retry(let delay) = strategy.decision(after: Self.throttled, state: &state) else {
                Issue.record("expected a retry at attempt \(state.attempt)")
                return
            }
            // Duration keeps attoseconds, so 0.999 × 20 s differs from 19.98 s in the last digits.
            #expect(Self.magnitude(delay - .seconds(expected)) < .nanoseconds(1), "attempt \(state.attempt - 1)")
        }
    }

    @Test(arguments: [-0.5, 7.0, Double.nan, Double.infinity])
    func outOfRangeRandomValuesAreClamped(random: Double) {
        var state = RetryState()
        let decision = Self.strategy(random: random).decision(after: Self.throttled, state: &state)
        guard case .retry(let delay) = decision else {
            Issue.record("expected a retry, got \(decision)")
            return
        }
        #expect(delay >= .zero && delay <= .seconds(1))
    }

    /// With a random draw of 0.25 the first retry's computed delay is 0.25 s; a hint moves it
    /// within 0.25…5.25 s.
    @Test(arguments: [
        (Duration.milliseconds(1500), Duration.milliseconds(1500)),
        (.zero, .milliseconds(250)),
        (.seconds(45), .milliseconds(5250)),
    ])
    func aServerHintMovesTheComputedDelayByAtMostFiveSeconds(hint: Duration, delay: Duration) {
        let failure = AttemptFailure.service(
            AWSServiceError(
                statusCode: 429,
                code: "TooManyRequestsException",
                message: nil,
                requestID: nil,
                retryAfter: hint
            )
        )
        var state = RetryState()
        #expect(Self.strategy(random: 0.25).decision(after: failure, state: &state) == .retry(after: delay))
    }

    @Test func aHintDoesNotMakeAFailureRetryable() {
        let failure = AttemptFailure.service(
            AWSServiceError(
                statusCode: 400,
                code: "InvalidParameterException",
                message: nil,
                requestID: nil,
                retryAfter: .seconds(1)
            )
        )
        var state = RetryState()
        #expect(Self.strategy().decision(after: failure, state: &state) == .giveUp(.notRetryable))
    }

    // MARK: quota

    @Test func retriesDrainTheQuotaByFiveAndTimeoutsByTen() {
        let quota = RetryQuota()
        let strategy = Self.strategy(maxAttempts: 10, quota: quota)
        var state = RetryState()
        _ = strategy.decision(after: Self.throttled, state: &state)
        #expect(quota.availableCapacity == 495)
        _ = strategy.decision(after: .timeout, state: &state)
        #expect(quota.availableCapacity == 485)
        _ = strategy.decision(after: .connection, state: &state)
        #expect(quota.availableCapacity == 480)
        _ = strategy.decision(after: Self.notAuthorized, state: &state)
        #expect(quota.availableCapacity == 480)
    }

    @Test func anEmptyQuotaStopsRetriesUntilSuccessesRefillIt() {
        let quota = RetryQuota(capacity: 12)
        let strategy = Self.strategy(quota: quota)
        var first = RetryState()
        var second = RetryState()
        var third = RetryState()
        #expect(strategy.decision(after: Self.unavailable, state: &first) == .retry(after: .milliseconds(500)))
        #expect(strategy.decision(after: Self.unavailable, state: &second) == .retry(after: .milliseconds(500)))
        #expect(strategy.decision(after: Self.unavailable, state: &third) == .giveUp(.retryQuotaExhausted))
        #expect(third.attempt == 1)
        #expect(quota.availableCapacity == 2)

        strategy.recordSuccess(first)
        #expect(quota.availableCapacity == 7)
        #expect(strategy.decision(after: Self.unavailable, state: &third) == .retry(after: .milliseconds(500)))
        #expect(quota.availableCapacity == 2)
    }

    @Test func aSuccessAfterRetriesRefundsWhatTheLastRetryTook() {
        let quota = RetryQuota()
        let strategy = Self.strategy(maxAttempts: 5, quota: quota)
        var state = RetryState()
        _ = strategy.decision(after: Self.throttled, state: &state)
        _ = strategy.decision(after: .timeout, state: &state)
        #expect(quota.availableCapacity == 485)
        strategy.recordSuccess(state)
        #expect(quota.availableCapacity == 495)
    }

    @Test func aFirstTimeSuccessRefundsOneButNeverOverfills() {
        let quota = RetryQuota()
        let strategy = Self.strategy(quota: quota)
        strategy.recordSuccess(RetryState())
        #expect(quota.availableCapacity == 500)
        var state = RetryState()
        _ = strategy.decision(after: Self.unavailable, state: &state)
        strategy.recordSuccess(RetryState())
        strategy.recordSuccess(RetryState())
        #expect(quota.availableCapacity == 497)
        for _ in 0..<10 {
            strategy.recordSuccess(RetryState())
        }
        #expect(quota.availableCapacity == 500)
    }

    @Test func concurrentCallsShareOneQuotaWithoutLosingTokens() async {
        let quota = RetryQuota()
        let strategy = Self.strategy(quota: quota)
        let granted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    var state = RetryState()
                    if case .retry = strategy.decision(after: Self.unavailable, state: &state) {
                        return 1
                    }
                    return 0
                }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == 100)
        #expect(quota.availableCapacity == 0)
    }
}
