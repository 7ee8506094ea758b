import AWSSigning
import Foundation
import Model
import NIOHTTP1
import Simulator
import Testing

/// The control API under `/_simulator/`, and its Swift twin.
struct AdminAPITests {
    private func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func aFaultAddedAtRuntimeAppliesToTheNextRequest() async throws {
        try await Harness.run(try standardScenario()) { harness in
            #expect(try await harness.details(PoolIDs.succeeding).status == 200)
            let added = try await harness.admin("POST", "faults", json: #"{"fault": "http503", "count": 1, "pool": "\#(PoolIDs.succeeding)"}"#)
            #expect(added.status == 201)
            let fault = try object(added)
            #expect(fault["fault"] as? String == "http503")
            #expect(fault["remaining"] as? Int == 1)
            #expect(try await harness.details(PoolIDs.failing).status == 200)
            #expect(try await harness.details(PoolIDs.succeeding).status == 503)
            #expect(try await harness.details(PoolIDs.succeeding).status == 200)
        }
    }

    @Test func anInvalidFaultIsRefusedWithThePathOfTheProblem() async throws {
        try await Harness.run(try standardScenario()) { harness in
            let response = try await harness.admin("POST", "faults", json: #"{"fault": "slow", "delaySecond": 3}"#)
            #expect(response.status == 400)
            let body = try object(response)
            #expect(body["problems"] as? [String] == ["delaySecond: unknown key (did you mean 'delaySeconds'?)"])
            let unknownPool = try await harness.admin("POST", "faults", json: #"{"fault": "reset", "pool": "\#(PoolIDs.undeclared)"}"#)
            #expect(unknownPool.status == 400)
            #expect(harness.simulator.faults.isEmpty)
        }
    }

    @Test func faultsCanBeListedAndRemoved() async throws {
        try await Harness.run(try standardScenario(faults: [FaultRule(.http500, name: "scripted", from: 100)])) { harness in
            _ = try await harness.admin("POST", "faults", json: #"{"fault": "throttle429", "retryAfterMilliseconds": 250}"#)
            let listed = try object(try await harness.admin("GET", "faults"))
            let faults = try #require(listed["faults"] as? [[String: Any]])
            #expect(faults.map { $0["name"] as? String } == ["scripted", "throttle429"])
            #expect(faults.map { $0["id"] as? Int } == [1, 2])
            #expect(faults[1]["retryAfterMilliseconds"] as? Int == 250)

            #expect(try await harness.admin("DELETE", "faults/2").status == 204)
            #expect(try await harness.admin("DELETE", "faults/2").status == 404)
            #expect(harness.simulator.faults.map(\.id) == [1])
            #expect(try await harness.admin("DELETE", "faults").status == 204)
            #expect(harness.simulator.faults.isEmpty)
        }
    }

    @Test func theRequestLogCountsPerPoolFaultAndOutcome() async throws {
        try await Harness.run(try standardScenario(faults: [FaultRule(.http503, name: "outage", count: 1)])) { harness in
            _ = try await harness.details(PoolIDs.succeeding)
            _ = try await harness.details(PoolIDs.succeeding)
            _ = try await harness.bulkPublish(PoolIDs.ireland)
            _ = try await harness.client.send(harness.unsigned(pool: PoolIDs.failing))
            let log = try JSONDecoder().decode(RequestLog.self, from: Data(try await harness.admin("GET", "requests").body))
            #expect(log == harness.simulator.requestLog)
            #expect(log.total == 4)
            #expect(log.byPool == [
                PoolIDs.succeeding: ["GetBulkPublishDetails": 2],
                PoolIDs.ireland: ["BulkPublish": 1],
                PoolIDs.failing: ["GetBulkPublishDetails": 1],
            ])
            #expect(log.byFault == ["outage": 1])
            #expect(log.byOutcome == ["503 ServiceUnavailable": 1, "200": 2, "403 MissingAuthenticationTokenException": 1])
            #expect(log.recent.map(\.operation) == ["GetBulkPublishDetails", "GetBulkPublishDetails", "BulkPublish", "GetBulkPublishDetails"])
            #expect(log.recent.map(\.accessKeyId) == ["AKIDSIMULATOR0000000", "AKIDSIMULATOR0000000", "AKIDSIMULATOR0000000", nil])
            #expect(log.recent.first?.path == "/identitypools/us-east-1%3A0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10/getBulkPublishDetails")

            #expect(try await harness.admin("DELETE", "requests").status == 204)
            #expect(harness.simulator.requestLog == RequestLog())
        }
    }

    @Test func poolsShowWhatTheServiceReportsNow() async throws {
        try await Harness.run(try standardScenario()) { harness in
            harness.clock.advance(by: 3)
            let body = try object(try await harness.admin("GET", "pools"))
            #expect(body["secondsSinceStart"] as? Double == 3)
            let pools = try #require(body["pools"] as? [[String: Any]])
            #expect(pools.map { $0["name"] as? String } == ["ok", "fails", "ireland"])
            let details = try #require(pools.first?["details"] as? [String: Any])
            #expect(details["BulkPublishStatus"] as? String == "IN_PROGRESS")
        }
    }

    @Test func theAdminAPINeedsNoSignatureAndIsNotLogged() async throws {
        try await Harness.run(try standardScenario()) { harness in
            let response = try await harness.admin("GET", "requests")
            #expect(response.status == 200)
            #expect(harness.simulator.requestLog.total == 0)
        }
    }

    @Test(arguments: [
        ("GET", "nothing", 404), ("PUT", "faults", 405), ("POST", "requests", 405), ("POST", "pools", 405),
        ("GET", "faults/1", 405), ("DELETE", "faults/abc", 404),
    ])
    func unknownAdminRoutesAndMethodsAreRefused(method: String, path: String, status: Int) async throws {
        try await Harness.run(try standardScenario()) { harness in
            let response = try await harness.admin(method, path)
            #expect(response.status == status)
            if status == 405 {
                #expect(response.header("Allow") != nil)
            }
        }
    }

    @Test func theSwiftAPIAddsAndRemovesFaults() throws {
        let clock = ManualClock()
        var scenario = try standardScenario()
        scenario.verifySignatures = false
        let simulator = Simulator(scenario: scenario, clock: clock, logger: quietLogger)
        let request = SimulatorRequest(method: "POST", target: "/identitypools/\(AWSURIEncoding.encodePathLabel(PoolIDs.succeeding))/getBulkPublishDetails")
        let fault = simulator.addFault(FaultRule(.reset))
        #expect(simulator.handle(request) == .resetConnection)
        #expect(simulator.removeFault(id: fault.id))
        #expect(!simulator.removeFault(id: fault.id))
        guard case .respond(let response) = simulator.handle(request) else {
            Issue.record("expected an answer")
            return
        }
        #expect(response.status.code == 200)
        #expect(simulator.requestLog.byOutcome == ["reset": 1, "200": 1])
        simulator.clearRequestLog()
        #expect(simulator.requestLog.total == 0)
    }
}
