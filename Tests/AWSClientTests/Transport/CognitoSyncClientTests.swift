import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import AsyncHTTPClient
import Foundation
import Model
import Simulator
import NetworkTestSupport
import ProcessSupport
import Testing

/// The client against the simulator over real loopback HTTP: every error class, retries, the
/// response size cap, and the refusal of plain http to a host that is not loopback.
struct CognitoSyncClientTests {
    typealias Harness = SimulatorBackedClient

    @Test func readsEveryFieldOfTheResponse() async throws {
        try await Harness.run { harness in
            let running = try await harness.details(Harness.succeeding)
            #expect(running.status == .inProgress)
            #expect(running.identityPoolID == Harness.succeeding)
            #expect(running.startTime == harness.clock.now().addingTimeInterval(-30))
            #expect(running.completeTime == nil)
            harness.clock.advance(by: 61)
            let done = try await harness.details(Harness.succeeding)
            #expect(done.status == .succeeded)
            #expect(done.completeTime != nil)
            let failed = try await harness.details(Harness.failing)
            #expect(failed.status == .failed)
            #expect(failed.failureMessage == "Kinesis stream not found")
            #expect(harness.sleeps.all.isEmpty)
        }
    }

    @Test func keepsOneConnectionAcrossCalls() async throws {
        try await Harness.run { harness in
            for _ in 0..<5 { _ = try await harness.details(Harness.succeeding) }
            #expect(harness.simulator.requestLog.total == 5)
            #expect(harness.server.connectionsAccepted == 1)
        }
    }

    /// As many polls in flight as the transport allows per host each get a connection of their
    /// own (kept for the next ones), none waiting in the HTTP client's queue; the daemon sets the
    /// allowance to `limits.maxConcurrentPolls`.
    @Test(arguments: [8, 12])
    func concurrentCallsGetAConnectionEachUpToTheLimit(_ limit: Int) async throws {
        // Requests wait for the rounds, which on a busy machine may take longer than the usual
        // timeout: a timeout here would be the machine's, not the client's.
        try await Harness.run(requestTimeout: .seconds(60), connectionsPerHost: limit) { harness in
            // Answers wait for the simulator's clock, which moves only when the calls in flight
            // have all arrived: they overlap for sure.
            _ = harness.simulator.addFault(FaultRule(.slow, delaySeconds: 1))
            var answered = 0
            for round in 1...2 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<12 {
                        group.addTask { _ = try await harness.details(Harness.succeeding) }
                    }
                    while answered < round * 12 {
                        let inFlight = min(limit, round * 12 - answered)
                        let arrived = await eventually(within: .seconds(20)) { harness.simulator.requestLog.total >= answered + inFlight }
                        try #require(arrived, "\(inFlight) calls in flight expected, \(harness.simulator.requestLog.total - answered) arrived")
                        #expect(harness.simulator.requestLog.total == answered + inFlight, "no more than \(limit) at once")
                        answered += inFlight
                        harness.clock.advance(by: 1)
                    }
                    try await group.waitForAll()
                }
            }
            #expect(harness.simulator.requestLog.total == 24)
            #expect(harness.server.connectionsAccepted == limit, "one connection per call in flight, up to \(limit), kept for the second round")
        }
    }

    /// Each fault, the error code the client ends with, how it is classified, and how many
    /// attempts were made (the standard retry mode makes 3 for retryable errors).
    static let faults: [(FaultRule, String, PollFailure.Kind, Int)] = [
        (FaultRule(.http500), "InternalErrorException", .transient, 3),
        (FaultRule(.http503), "ServiceUnavailable", .transient, 3),
        (FaultRule(.throttle429), "TooManyRequestsException", .throttled, 3),
        (FaultRule(.throttling400), "ThrottlingException", .throttled, 3),
        (FaultRule(.html), "502", .transient, 3),
        (FaultRule(.reset), "ConnectionError", .transient, 3),
        (FaultRule(.malformed), "MalformedResponse", .transient, 1),
        (FaultRule(.huge, sizeBytes: 200_000), "ResponseTooLarge", .transient, 1),
        (FaultRule(.notAuthorized), "NotAuthorizedException", .lasting, 1),
        (FaultRule(.expiredToken), "ExpiredTokenException", .lasting, 1),
    ]

    @Test(arguments: faults)
    func eachErrorClassIsParsedAndClassified(_ fault: FaultRule, _ code: String, _ kind: PollFailure.Kind, _ attempts: Int) async throws {
        try await Harness.run { harness in
            _ = harness.simulator.addFault(fault)
            let error = try #require(await harness.failure(Harness.succeeding))
            #expect(error.code == code)
            #expect(error.pollFailure.kind == kind)
            #expect(error.attempts == attempts)
            #expect(harness.sleeps.all.count == attempts - 1)
            #expect(harness.sleeps.all.allSatisfy { $0 <= .seconds(20) })
        }
    }

    /// botocore keeps one retry quota per client, and a botocore client serves one region:
    /// retries spent in one region leave another region's untouched.
    @Test func eachRegionHasARetryQuotaOfItsOwn() async throws {
        // 5 tokens: one retry per region, then none.
        try await Harness.run(retryStrategy: StandardRetryStrategy(quota: RetryQuota(capacity: 5))) { harness in
            _ = harness.simulator.addFault(FaultRule(.http503))
            let first = try #require(await harness.failure(Harness.succeeding))
            #expect(first.code == "ServiceUnavailable")
            #expect(first.attempts == 2, "one retry, which empties us-east-1's quota")
            let again = try #require(await harness.failure(Harness.succeeding))
            #expect(again.attempts == 1, "us-east-1's quota is spent")
            let otherRegion = try #require(await harness.failure("eu-west-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10"))
            #expect(otherRegion.code == "ServiceUnavailable")
            #expect(otherRegion.attempts == 2, "eu-west-1 retries with its own quota")
        }
    }

    @Test func serviceErrorsKeepTheRequestID() async throws {
        try await Harness.run { harness in
            let error = try #require(await harness.failure(Harness.unknown))
            #expect(error.code == "ResourceNotFoundException")
            #expect(error.pollFailure.kind == .lasting)
            #expect(error.requestID?.isEmpty == false)
            #expect(error.description.contains("request id"))
        }
    }

    @Test func aTransientErrorThatClearsIsRetriedToSuccess() async throws {
        try await Harness.run { harness in
            _ = harness.simulator.addFault(FaultRule(.http503, count: 2))
            let details = try await harness.details(Harness.succeeding)
            #expect(details.status == .inProgress)
            #expect(harness.sleeps.all.count == 2)
        }
    }

    @Test func theServersRetryAfterHintSetsTheWait() async throws {
        try await Harness.run { harness in
            _ = harness.simulator.addFault(FaultRule(.throttling400, count: 1, retryAfterMilliseconds: 1500))
            _ = try await harness.details(Harness.succeeding)
            #expect(harness.sleeps.all == [.milliseconds(1500)])
        }
    }

    @Test func anUnknownStatusIsKeptNotRejected() async throws {
        try await Harness.run { harness in
            _ = harness.simulator.addFault(FaultRule(.unknownStatus, status: "PAUSED"))
            let details = try await harness.details(Harness.succeeding)
            #expect(details.status == .unrecognized("PAUSED"))
        }
    }

    @Test func aResponseSlowerThanTheTimeoutIsATimeout() async throws {
        // Each attempt opens a new connection (the timed-out one is closed) within its own
        // deadline. On a loaded machine the handshake itself can outlast a short one, which is
        // rightly a connect timeout instead: only an attempt in which every request reached the
        // server is judged, and another is made with more room.
        let judged = try await withGrowingBudget(from: .milliseconds(300)) { timeout in
            var reachedTheServer = false
            try await Harness.run(requestTimeout: timeout) { harness in
                _ = harness.simulator.addFault(FaultRule(.slow, delaySeconds: 3600))
                let error = try #require(await harness.failure(Harness.succeeding))
                guard harness.simulator.requestLog.byFault["slow"] == 3 else { return }
                reachedTheServer = true
                #expect(error.code == "Timeout")
                #expect(error.pollFailure.kind == .transient)
                #expect(error.attempts == 3)
            }
            return reachedTheServer
        }
        #expect(judged, "the requests never reached the server within the timeout")
    }

    @Test func wrongCredentialsAreALastingAuthenticationError() async throws {
        let wrong = AWSCredentials(accessKeyID: "AKIDNOTKNOWN00000000", secretAccessKey: "not-the-secret")
        try await Harness.run(credentials: wrong) { harness in
            let error = try #require(await harness.failure(Harness.succeeding))
            #expect(error.code == "UnrecognizedClientException")
            #expect(error.isLasting)
            #expect(!error.description.contains("not-the-secret"))
        }
        let badSecret = AWSCredentials(accessKeyID: ScenarioCredential.demo.accessKeyID, secretAccessKey: "wrong-secret")
        try await Harness.run(credentials: badSecret) { harness in
            let error = try #require(await harness.failure(Harness.succeeding))
            #expect(error.code == "InvalidSignatureException")
            #expect(!error.description.contains("wrong-secret"))
        }
    }

    @Test func sendsAUserAgentNamingTheProject() async throws {
        try await Harness.run { harness in
            _ = try await harness.details(Harness.succeeding)
            let entry = try #require(harness.simulator.requestLog.recent.last)
            #expect(entry.userAgent?.hasPrefix("cognito-sync-watcher/\(BuildInfo.version)") == true)
        }
    }

    @Test(arguments: ["http://10.0.0.1:80", "http://example.com", "http://169.254.169.254"])
    func refusesPlainHTTPToAHostThatIsNotLoopback(_ endpoint: String) async throws {
        let client = CognitoSyncClient(
            transport: .shared,
            credentials: StaticCredentials(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret")),
            configuration: CognitoSyncClientConfiguration(endpoint: EndpointSettings(endpointURL: endpoint), environment: [:])
        )
        let pool = try Harness.pool(Harness.succeeding)
        await #expect {
            _ = try await client.bulkPublishDetails(for: pool, region: "us-east-1")
        } throws: { error in
            (error as? CognitoSyncError)?.code == "InvalidEndpoint" && (error as? CognitoSyncError)?.isLasting == true
        }
    }

    @Test func resolvesRealEndpointsPerRegion() throws {
        let client = CognitoSyncClient(
            transport: .shared,
            credentials: StaticCredentials(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret")),
            configuration: CognitoSyncClientConfiguration(environment: [:])
        )
        #expect(try client.endpoint(for: "eu-west-1").url.absoluteString == "https://cognito-sync.eu-west-1.amazonaws.com")
        #expect(try client.endpoint(for: "cn-north-1").url.absoluteString == "https://cognito-sync.cn-north-1.amazonaws.com.cn")
    }
}
