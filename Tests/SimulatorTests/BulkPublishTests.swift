import AWSSigning
import Foundation
import Model
import NIOHTTP1
import Simulator
import Testing

/// `BulkPublish`: starting runs, and the two ways the service refuses.
struct BulkPublishTests {
    @Test func startsARunThatEndsWithTheConfiguredOutcome() async throws {
        try await Harness.run(try standardScenario()) { harness in
            harness.clock.advance(by: 10)
            let start = harness.clock.now()
            let response = try await harness.bulkPublish(PoolIDs.ireland)
            #expect(response.status == 200)
            #expect(response.text == #"{"IdentityPoolId":"\#(PoolIDs.ireland)"}"#)
            #expect(UUID(uuidString: response.header("x-amzn-RequestId") ?? "") != nil)

            let running = try await harness.details(PoolIDs.ireland).details()
            #expect(running == BulkPublishDetails(identityPoolID: PoolIDs.ireland, status: .inProgress, startTime: start))

            // The default run lasts 10 seconds and succeeds.
            harness.clock.advance(by: 9.5)
            #expect(try await harness.details(PoolIDs.ireland).details().status == .inProgress)
            harness.clock.advance(by: 0.5)
            let finished = try await harness.details(PoolIDs.ireland).details()
            #expect(finished == BulkPublishDetails(identityPoolID: PoolIDs.ireland, status: .succeeded, startTime: start,
                                                   completeTime: start.addingTimeInterval(10)))
        }
    }

    @Test func aFailedRunCarriesItsMessageAndMayBeRetried() async throws {
        try await Harness.run(try standardScenario()) { harness in
            harness.clock.advance(by: 5)
            #expect(try await harness.bulkPublish(PoolIDs.failing).status == 200)
            harness.clock.advance(by: 3)
            let failed = try await harness.details(PoolIDs.failing).details()
            #expect(failed.status == .failed)
            #expect(failed.failureMessage == "Access denied to stream")
            #expect(try await harness.bulkPublish(PoolIDs.failing).status == 200)
        }
    }

    @Test func aSecondRequestWhileOneIsInProgressIsADuplicate() async throws {
        try await Harness.run(try standardScenario()) { harness in
            // The scripted run of the succeeding pool is IN_PROGRESS from 2 to 6 seconds.
            harness.clock.advance(by: 3)
            let scripted = try await harness.bulkPublish(PoolIDs.succeeding)
            #expect(scripted.status == 400)
            #expect(scripted.errorCode == "DuplicateRequestException")
            #expect(try scripted.errorBody().message.contains(PoolIDs.succeeding))
            // And one started through the API.
            #expect(try await harness.bulkPublish(PoolIDs.ireland).status == 200)
            let duplicate = try await harness.bulkPublish(PoolIDs.ireland)
            #expect(duplicate.status == 400)
            #expect(duplicate.errorCode == "DuplicateRequestException")
            #expect(duplicate.header("x-amzn-ErrorType")
                == "DuplicateRequestException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/")
        }
    }

    @Test func aRunThatSucceededWithinADayWasAlreadyStreamed() async throws {
        try await Harness.run(try standardScenario()) { harness in
            // Completed at 6 seconds.
            harness.clock.advance(by: 7)
            let refused = try await harness.bulkPublish(PoolIDs.succeeding)
            #expect(refused.status == 400)
            #expect(refused.errorCode == "AlreadyStreamedException")
            #expect(try refused.errorBody().message.contains("24 hours"))
            // One second short of a day after the completion: still refused.
            harness.clock.advance(by: 86_400 - 2)
            #expect(try await harness.bulkPublish(PoolIDs.succeeding).errorCode == "AlreadyStreamedException")
            harness.clock.advance(by: 1)
            #expect(try await harness.bulkPublish(PoolIDs.succeeding).status == 200)
        }
    }

    @Test func theTimelineGoesOnAfterAStartedRun() throws {
        let clock = ManualClock()
        let pool = try PoolIDs.id(PoolIDs.ireland)
        let scenario = Scenario(
            verifySignatures: false,
            pools: [ScenarioPool(
                id: pool,
                timeline: [TimelineEntry(at: 20, status: .inProgress)],
                bulkPublish: BulkPublishBehaviour(durationSeconds: 5, outcome: .succeeded))])
        let simulator = Simulator(scenario: scenario, clock: clock, logger: quietLogger)
        let request = SimulatorRequest(method: "POST", target: "/identitypools/\(AWSURIEncoding.encodePathLabel(pool.rawValue))/bulkpublish")
        clock.advance(by: 1)
        guard case .respond(let response) = simulator.handle(request) else {
            Issue.record("expected an answer now")
            return
        }
        #expect(response.status == .ok)
        clock.advance(by: 5)
        #expect(simulator.details(for: pool)?.status == .succeeded)
        clock.advance(by: 14)
        // The scripted entry at 20 s is later than the started run, so it wins.
        #expect(simulator.details(for: pool)?.status == .inProgress)
        #expect(simulator.details(for: pool)?.startTime == simulator.startDate.addingTimeInterval(20))
    }
}
