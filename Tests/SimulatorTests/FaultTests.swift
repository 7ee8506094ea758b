import Foundation
import Model
import NetworkTestSupport
import Simulator
import Synchronization
import Testing

/// Every fault kind, and how windows, counts, pools and operations select the requests hit.
struct FaultTests {
    private func scenario(_ faults: FaultRule..., poolFaults: [FaultRule] = []) throws -> Scenario {
        try standardScenario(faults: faults, poolFaults: poolFaults)
    }

    @Test(arguments: [
        (FaultKind.http500, 500, "InternalErrorException", "com.amazonaws.cognito.sync.model"),
        (.http503, 503, "ServiceUnavailable", "com.amazon.coral.availability"),
        (.throttle429, 429, "TooManyRequestsException", "com.amazonaws.cognito.sync.model"),
        (.throttling400, 400, "ThrottlingException", "com.amazon.coral.availability"),
        (.notAuthorized, 403, "NotAuthorizedException", "com.amazonaws.cognito.sync.model"),
        (.expiredToken, 403, "ExpiredTokenException", "com.amazon.coral.service"),
    ])
    func anErrorFaultAnswersWithTheAWSError(kind: FaultKind, status: Int, code: String, namespace: String) async throws {
        try await Harness.run(try scenario(FaultRule(kind))) { harness in
            let response = try await harness.details(PoolIDs.succeeding)
            #expect(response.status == status)
            #expect(response.header("x-amzn-ErrorType") == "\(code):http://internal.amazon.com/coral/\(namespace)/")
            #expect(response.header("Content-Type") == "application/json")
            #expect(UUID(uuidString: response.header("x-amzn-RequestId") ?? "") != nil)
            #expect(response.header("x-amz-retry-after") == nil)
            let body = try response.errorBody()
            #expect(body.type == code)
            #expect(!body.message.isEmpty)
            #expect(harness.simulator.requestLog.byFault == [kind.rawValue: 1])
        }
    }

    @Test(arguments: [FaultKind.throttle429, .throttling400])
    func aThrottlingFaultMaySayWhenToRetry(kind: FaultKind) async throws {
        try await Harness.run(try scenario(FaultRule(kind, retryAfterMilliseconds: 1500, message: "Slow down"))) { harness in
            let response = try await harness.details(PoolIDs.succeeding)
            #expect(response.header("x-amz-retry-after") == "1500")
            #expect(try response.errorBody().message == "Slow down")
        }
    }

    @Test func resetClosesTheConnectionWithoutAnAnswer() async throws {
        try await Harness.run(try scenario(FaultRule(.reset, count: 1))) { harness in
            await #expect(throws: (any Error).self) {
                _ = try await harness.details(PoolIDs.succeeding)
            }
            let entry = try #require(harness.simulator.requestLog.recent.first)
            #expect(entry.status == nil)
            #expect(entry.fault == "reset")
            #expect(harness.simulator.requestLog.byOutcome == ["reset": 1])
            // The next connection is answered.
            #expect(try await harness.details(PoolIDs.succeeding).status == 200)
        }
    }

    @Test func slowHoldsTheAnswerUntilTheClockPassesTheDelay() async throws {
        try await Harness.run(try scenario(FaultRule(.slow, count: 1, delaySeconds: 30))) { harness in
            let events = Mutex<[String]>([])
            let slow = Task {
                let response = try await harness.details(PoolIDs.succeeding)
                events.withLock { $0.append("slow answered") }
                return response
            }
            await harness.clock.waitForSleepers(1)
            // The fault's count is spent: a later request is answered at once, while the first waits.
            let quick = try await harness.details(PoolIDs.succeeding)
            #expect(quick.status == 200)
            events.withLock { $0.append("quick answered") }
            harness.clock.advance(by: 29.9)
            #expect(harness.clock.sleeperCount == 1)
            events.withLock { $0.append("advanced") }
            harness.clock.advance(by: 0.1)
            let response = try await slow.value
            #expect(response.status == 200)
            #expect(try response.details().status == .notStarted)
            #expect(events.withLock { $0 } == ["quick answered", "advanced", "slow answered"])
            #expect(harness.clock.sleeperCount == 0)
        }
    }

    @Test func slowWaitsOnTheEventLoopWithTheSystemClock() async throws {
        let scenario = try scenario(FaultRule(.slow, delaySeconds: 0.05))
        let simulator = Simulator(scenario: scenario, clock: SystemClock(), logger: quietLogger)
        let server = try await SimulatorServer.start(simulator: simulator, tls: TestTLS.server, logger: quietLogger)
        let harness = Harness(simulator: simulator, server: server, clock: ManualClock())
        let started = ContinuousClock.now
        let response: TestResponse
        do {
            response = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, at: Date()))
        } catch {
            try await server.shutdown()
            throw error
        }
        let elapsed = ContinuousClock.now - started
        try await server.shutdown()
        #expect(response.status == 200)
        #expect(elapsed >= .milliseconds(50))
        #expect(simulator.requestLog.byFault == ["slow": 1])
    }

    @Test func malformedCutsTheBodyShort() async throws {
        try await Harness.run(try scenario(FaultRule(.malformed, count: 1))) { harness in
            let broken = try await harness.details(PoolIDs.succeeding)
            let whole = try await harness.details(PoolIDs.succeeding)
            #expect(broken.status == 200)
            #expect(broken.header("Content-Length") == String(broken.body.count))
            #expect(broken.body.count < whole.body.count)
            #expect(whole.body.starts(with: broken.body))
            #expect(throws: (any Error).self) { try broken.details() }
        }
    }

    @Test func htmlIsALoadBalancersPageWithoutServiceHeaders() async throws {
        try await Harness.run(try scenario(FaultRule(.html))) { harness in
            let response = try await harness.details(PoolIDs.succeeding)
            #expect(response.status == 502)
            #expect(response.header("Content-Type") == "text/html")
            #expect(response.header("x-amzn-RequestId") == nil)
            #expect(response.header("x-amzn-ErrorType") == nil)
            #expect(response.text.hasPrefix("<html>"))
            #expect(response.text.contains("502 Bad Gateway"))
        }
    }

    @Test func hugeSendsAValidBodyOfTheGivenSize() async throws {
        try await Harness.run(try scenario(FaultRule(.huge, sizeBytes: 3_000_000))) { harness in
            harness.clock.advance(by: 7)
            let response = try await harness.details(PoolIDs.succeeding)
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == "3000000")
            #expect(response.body.count == 3_000_000)
            let details = try response.details()
            #expect(details.status == .succeeded)
            #expect(details.identityPoolID == PoolIDs.succeeding)
        }
    }

    @Test(arguments: [(String?.none, "PAUSED"), ("ARCHIVING", "ARCHIVING")])
    func unknownStatusReportsAStatusTheClientDoesNotKnow(configured: String?, expected: String) async throws {
        try await Harness.run(try scenario(FaultRule(.unknownStatus, status: configured))) { harness in
            harness.clock.advance(by: 3)
            let details = try await harness.details(PoolIDs.succeeding).details()
            #expect(details.status == .unrecognized(expected))
            #expect(details.startTime == harness.simulator.startDate.addingTimeInterval(2))
        }
    }

    @Test func aWindowAppliesFromItsStartUntilItsEnd() async throws {
        try await Harness.run(try scenario(poolFaults: [FaultRule(.http503, from: 3, until: 5)])) { harness in
            var statuses: [Int] = []
            for time in [2.9, 3, 4.99, 5] {
                harness.clock.set(to: harness.simulator.startDate.addingTimeInterval(time))
                statuses.append(try await harness.details(PoolIDs.succeeding).status)
            }
            #expect(statuses == [200, 503, 503, 200])
        }
    }

    @Test func aCountIsSpentRequestByRequest() async throws {
        try await Harness.run(try scenario(FaultRule(.http500, count: 2))) { harness in
            var statuses: [Int] = []
            for _ in 0..<3 {
                statuses.append(try await harness.details(PoolIDs.succeeding).status)
            }
            #expect(statuses == [500, 500, 200])
            let fault = try #require(harness.simulator.faults.first)
            #expect(fault.hits == 2)
            #expect(fault.remaining == 0)
        }
    }

    @Test func aPoolsFaultHitsOnlyThatPoolAndComesBeforeGlobalOnes() async throws {
        try await Harness.run(try scenario(FaultRule(.http500, name: "everywhere"), poolFaults: [FaultRule(.notAuthorized, name: "only ok")])) { (harness: Harness) async throws in
            #expect(try await harness.details(PoolIDs.succeeding).errorCode == "NotAuthorizedException")
            #expect(try await harness.details(PoolIDs.failing).errorCode == "InternalErrorException")
            #expect(harness.simulator.requestLog.byFault == ["only ok": 1, "everywhere": 1])
        }
    }

    @Test func anOperationsFilterSparesTheOtherOperation() async throws {
        try await Harness.run(try scenario(FaultRule(.http503, operations: [.bulkPublish]))) { (harness: Harness) async throws in
            #expect(try await harness.details(PoolIDs.succeeding).status == 200)
            #expect(try await harness.bulkPublish(PoolIDs.ireland).status == 503)
            // Nothing was started.
            #expect(harness.simulator.details(for: try PoolIDs.id(PoolIDs.ireland))?.status == .notStarted)
        }
    }

    @Test func faultsComeAfterAuthenticationAndBeforeValidation() async throws {
        try await Harness.run(try scenario(FaultRule(.http503))) { harness in
            let unsigned = try await harness.client.send(harness.unsigned(pool: PoolIDs.succeeding))
            #expect(unsigned.errorCode == "MissingAuthenticationTokenException")
            #expect(try await harness.details("us-east-1:NOT-A-GUID").status == 503)
            #expect(try await harness.details(PoolIDs.undeclared).status == 503)
        }
    }
}
