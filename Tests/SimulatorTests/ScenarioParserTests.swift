import Foundation
import Model
import Simulator
import Testing

struct ScenarioParserTests {
    @Test func parsesEveryKeyOfTheDocumentedExample() throws {
        let json = """
        {"description": "example",
         "verifySignatures": true,
         "credentials": [{"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "secret", "sessionToken": "token", "expiresAfterSeconds": 600}],
         "pools": [{"id": "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10", "name": "ok", "timeline": [
             {"at": 0, "status": "NOT_STARTED"}, {"at": 2, "status": "IN_PROGRESS", "startedAt": 1},
             {"at": 6, "status": "FAILED", "failureMessage": "boom"}, {"at": 7, "status": "PAUSED"}],
           "bulkPublish": {"durationSeconds": 5, "outcome": "FAILED", "failureMessage": "no stream"},
           "faults": [{"from": 3, "until": 5, "fault": "http503"}]}],
         "faults": [{"fault": "slow", "delaySeconds": 2.5, "count": 3, "operations": ["BulkPublish"], "name": "lag"},
                    {"fault": "throttling400", "retryAfterMilliseconds": 1500, "message": "slow down",
                     "pool": "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10"}]}
        """
        let scenario = try Scenario.parse(Data(json.utf8))
        let pool = try #require(scenario.pools.first)
        #expect(scenario.scenarioDescription == "example")
        #expect(scenario.credentials == [ScenarioCredential(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret",
                                                            sessionToken: "token", expiresAfterSeconds: 600)])
        #expect(pool.id.rawValue == "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10")
        #expect(pool.name == "ok")
        #expect(pool.timeline == [
            TimelineEntry(at: 0, status: .notStarted),
            TimelineEntry(at: 2, status: .inProgress, startedAt: 1),
            TimelineEntry(at: 6, status: .failed, failureMessage: "boom"),
            TimelineEntry(at: 7, status: .unrecognized("PAUSED")),
        ])
        #expect(pool.bulkPublish == BulkPublishBehaviour(durationSeconds: 5, outcome: .failed, failureMessage: "no stream"))
        #expect(pool.faults == [FaultRule(.http503, pool: pool.id, from: 3, until: 5)])
        #expect(scenario.faults == [
            FaultRule(.slow, name: "lag", operations: [.bulkPublish], count: 3, delaySeconds: 2.5),
            FaultRule(.throttling400, pool: pool.id, retryAfterMilliseconds: 1500, message: "slow down"),
        ])
    }

    @Test func defaultsToTheDemoCredentialsAndVerification() throws {
        let scenario = try Scenario.parse(Data(#"{"pools": []}"#.utf8))
        #expect(scenario.credentials == [.demo])
        #expect(scenario.verifySignatures)
        #expect(scenario.faults.isEmpty)
    }

    @Test func namesAnUnknownKeyByItsPathAndSuggestsTheNearestOne() throws {
        let json = #"{"pools": [{"id": "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10", "timeline": [{"at": 0, "statuss": "IN_PROGRESS"}]}]}"#
        let error = try #require(throws: ScenarioError.self) { try Scenario.parse(Data(json.utf8)) }
        #expect(error.problems.contains(ScenarioProblem(path: "pools[0].timeline[0].statuss", message: "unknown key",
                                                        hint: "did you mean 'status'?")))
        #expect(error.description.contains("pools[0].timeline[0].statuss: unknown key (did you mean 'status'?)"))
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let json = #"{"verifySignature": false, "pools": [{"id": "us-east-1:ABC"}], "faults": [{"fault": "http502"}]}"#
        let error = try #require(throws: ScenarioError.self) { try Scenario.parse(Data(json.utf8)) }
        #expect(error.problems.map(\.path) == ["verifySignature", "pools[0].id", "faults[0].fault"])
        #expect(error.problems[0].hint == "did you mean 'verifySignatures'?")
    }

    /// One broken document per row: where the problem is reported and a phrase of its message.
    static let brokenDocuments: [(json: String, path: String, phrase: String)] = [
        ("[]", "$", "must be a JSON object"),
        ("{", "$", "not valid JSON"),
        (#"{}"#, "pools", "is missing"),
        (#"{"pools": {}}"#, "pools", "must be an array, not an object"),
        (#"{"pools": [{"id": "us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE"}]}"#, "pools[0].id", "write it in lower case"),
        (#"{"pools": [{"id": "us-east-1:0b5c"}, {"id": "us-east-1:0b5c"}]}"#, "pools[1].id", "listed twice"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "timeline": [{"at": 5, "status": "IN_PROGRESS"}, {"at": 2, "status": "SUCCEEDED"}]}]}"#,
         "pools[0].timeline[1].at", "comes before the previous entry"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "timeline": [{"at": "5s", "status": "IN_PROGRESS"}]}]}"#,
         "pools[0].timeline[0].at", "must be a number, not the string"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "timeline": [{"at": 1}]}]}"#, "pools[0].timeline[0].status", "is missing"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "timeline": [{"at": 1, "status": "SUCCEEDED", "failureMessage": "x"}]}]}"#,
         "pools[0].timeline[0].failureMessage", "only a FAILED entry"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "timeline": [{"at": 1, "status": "NOT_STARTED", "startedAt": 0}]}]}"#,
         "pools[0].timeline[0].startedAt", "no run"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "bulkPublish": {"outcome": "IN_PROGRESS"}}]}"#, "pools[0].bulkPublish.outcome", "not an outcome"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "bulkPublish": {"durationSeconds": -1}}]}"#, "pools[0].bulkPublish.durationSeconds", "out of range"),
        (#"{"pools": [{"id": "us-east-1:0b5c", "faults": [{"fault": "reset", "pool": "us-east-1:0b5c"}]}]}"#,
         "pools[0].faults[0].pool", "unknown key"),
        (#"{"pools": [], "faults": [{"fault": "http500", "delaySeconds": 1}]}"#, "faults[0].delaySeconds", "does not apply to a 'http500' fault"),
        (#"{"pools": [], "faults": [{"fault": "slow", "message": "x"}]}"#, "faults[0].message", "does not apply to a 'slow' fault"),
        (#"{"pools": [], "faults": [{"fault": "reset", "from": 5, "until": 5}]}"#, "faults[0].until", "is not after from"),
        (#"{"pools": [], "faults": [{"fault": "reset", "count": 0}]}"#, "faults[0].count", "out of range"),
        (#"{"pools": [], "faults": [{"fault": "reset", "count": 1.5}]}"#, "faults[0].count", "whole number"),
        (#"{"pools": [], "faults": [{"fault": "reset", "operations": ["ListDatasets"]}]}"#, "faults[0].operations[0]", "not an operation"),
        (#"{"pools": [], "faults": [{"fault": "reset", "pool": "us-east-1:0b5c"}]}"#, "faults[0].pool", "not one of the scenario's pools"),
        (#"{"pools": [], "faults": [{"fault": "huge", "sizeBytes": 0}]}"#, "faults[0].sizeBytes", "out of range"),
        (#"{"pools": [], "faults": [{"from": 1}]}"#, "faults[0].fault", "is missing"),
        (#"{"pools": [], "credentials": [{"accessKeyId": "AKID"}]}"#, "credentials[0].secretAccessKey", "is missing"),
        (#"{"pools": [], "credentials": [{"accessKeyId": "A", "secretAccessKey": "s"}, {"accessKeyId": "A", "secretAccessKey": "t"}]}"#,
         "credentials[1].accessKeyId", "declared twice"),
        (#"{"pools": [], "verifySignatures": "no"}"#, "verifySignatures", "must be true or false"),
    ]

    @Test(arguments: brokenDocuments)
    func rejectsABrokenDocumentWithItsPath(json: String, path: String, phrase: String) throws {
        let error = try #require(throws: ScenarioError.self) { try Scenario.parse(Data(json.utf8)) }
        let problem = try #require(error.problems.first { $0.path == path }, "problems: \(error.problems)")
        #expect(problem.message.contains(phrase) || (problem.hint ?? "").contains(phrase), "\(problem)")
    }

    @Test func parsesAFaultForTheAdminAPI() throws {
        let rule = try Scenario.parseFault(Data(#"{"fault": "unknownStatus", "status": "PAUSED", "count": 2}"#.utf8))
        #expect(rule == FaultRule(.unknownStatus, count: 2, status: "PAUSED"))
        let error = try #require(throws: ScenarioError.self) { try Scenario.parseFault(Data(#"{"fault": "slow", "delay": 1}"#.utf8)) }
        #expect(error.problems == [ScenarioProblem(path: "delay", message: "unknown key", hint: "did you mean 'delaySeconds'?")])
    }

    @Test func theDemoScenarioIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios/demo.json")
        let scenario = try Scenario.load(contentsOf: url)
        #expect(scenario.pools.count == 4)
        #expect(Set(scenario.pools.map(\.id)).count == 4)
        #expect(scenario.credentials == [.demo])
        for pool in scenario.pools {
            #expect(pool.id.rawValue == pool.id.rawValue.lowercased())
        }
    }

    @Test func aMissingFileIsAScenarioError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-scenario-\(UUID().uuidString).json")
        let error = try #require(throws: ScenarioError.self) { try Scenario.load(contentsOf: url) }
        #expect(error.problems.first?.message.contains("cannot read") == true)
    }

    @Test func credentialsNeverShowTheirSecrets() {
        let credential = ScenarioCredential(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "very-secret", sessionToken: "token-value")
        #expect(!credential.description.contains("very-secret"))
        #expect(!credential.description.contains("token-value"))
        #expect(!String(reflecting: credential).contains("very-secret"))
        #expect(credential.description.contains("AKIDEXAMPLE"))
    }
}
