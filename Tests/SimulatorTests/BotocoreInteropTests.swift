import Foundation
import Model
import NetworkTestSupport
import Simulator
import Testing

/// botocore, the reference SDK, as a client of the simulator: its signatures must verify and its
/// parser must read every answer as it reads the real service's.
struct BotocoreInteropTests {
    /// Makes the calls listed in argv[2] (JSON) against the simulator on port argv[1] and prints
    /// one JSON result per call.
    private static let script = #"""
    import json, sys
    try:
        import botocore.session
        from botocore.config import Config
        from botocore.exceptions import ClientError
    except ImportError:
        print("botocore is not installed: pip install botocore", file=sys.stderr)
        sys.exit(3)
    port, calls, ca_file = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    results = []
    for call in calls:
        client = botocore.session.get_session().create_client(
            "cognito-sync", region_name=call["pool"].split(":")[0], endpoint_url="https://127.0.0.1:" + port, verify=ca_file,
            aws_access_key_id=call["key"], aws_secret_access_key=call["secret"],
            config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
        try:
            response = getattr(client, call["operation"])(IdentityPoolId=call["pool"])
            meta = response.pop("ResponseMetadata")
            fields = {k: (v.timestamp() if hasattr(v, "timestamp") else v) for k, v in response.items()}
            results.append({"status": meta["HTTPStatusCode"], "fields": fields, "requestId": meta.get("RequestId")})
        except ClientError as error:
            results.append({"status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                            "code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"],
                            "requestId": error.response["ResponseMetadata"].get("RequestId")})
    print(json.dumps(results))
    """#

    struct Call: Encodable {
        var operation: String
        var pool: String
        var key = ScenarioCredential.demo.accessKeyID
        var secret = ScenarioCredential.demo.secretAccessKey
    }

    struct Outcome: Decodable, Equatable {
        var status: Int
        var fields: [String: FieldValue]?
        var code: String?
        var message: String?
        var requestId: String?
    }

    enum FieldValue: Decodable, Equatable {
        case text(String)
        case number(Double)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    private func runBotocore(port: Int, calls: [Call]) async throws -> [Outcome] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let encodedCalls = String(decoding: try JSONEncoder().encode(calls), as: UTF8.self)
        process.arguments = ["python3", "-c", Self.script, String(port), encodedCalls, TestTLS.caFile]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus == 0,
                     "python3 with botocore failed (status \(process.terminationStatus)); install it with `pip install botocore`: \(stderr.suffix(2000))")
        return try JSONDecoder().decode([Outcome].self, from: output.fileHandleForReading.readDataToEndOfFile())
    }

    @Test func botocoreSignsAndParsesEveryKindOfAnswer() async throws {
        let faults = [
            FaultRule(.http503, pool: try PoolIDs.id(PoolIDs.failing), count: 1, message: "Back soon"),
            FaultRule(.html, pool: try PoolIDs.id(PoolIDs.ireland), operations: [.getBulkPublishDetails], count: 1),
        ]
        // botocore signs with the wall clock, so the manual clock starts there.
        let clock = ManualClock(start: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded()))
        try await Harness.run(try standardScenario(faults: faults), clock: clock) { harness in
            harness.clock.advance(by: 7)
            let start = harness.simulator.startDate.timeIntervalSince1970
            let outcomes = try await runBotocore(port: harness.port, calls: [
                Call(operation: "get_bulk_publish_details", pool: PoolIDs.succeeding),
                Call(operation: "get_bulk_publish_details", pool: PoolIDs.undeclared),
                Call(operation: "get_bulk_publish_details", pool: PoolIDs.failing),
                Call(operation: "get_bulk_publish_details", pool: PoolIDs.ireland),
                Call(operation: "bulk_publish", pool: PoolIDs.ireland),
                Call(operation: "bulk_publish", pool: PoolIDs.ireland),
                Call(operation: "get_bulk_publish_details", pool: "us-east-1:0B5C"),
                Call(operation: "get_bulk_publish_details", pool: PoolIDs.succeeding, secret: "wrong-secret"),
                Call(operation: "get_bulk_publish_details", pool: PoolIDs.succeeding, key: "AKIDNOBODY0000000000"),
            ])
            try #require(outcomes.count == 9)
            #expect(outcomes[0].status == 200)
            #expect(outcomes[0].fields == [
                "IdentityPoolId": .text(PoolIDs.succeeding), "BulkPublishStatus": .text("SUCCEEDED"),
                "BulkPublishStartTime": .number(start + 2), "BulkPublishCompleteTime": .number(start + 6),
            ])
            #expect(outcomes[0].requestId.flatMap(UUID.init(uuidString:)) != nil)
            #expect(outcomes[1].code == "ResourceNotFoundException")
            #expect(outcomes[1].message == "IdentityPool '\(PoolIDs.undeclared)' not found.")
            #expect(outcomes[2].status == 503)
            #expect(outcomes[2].code == "ServiceUnavailable")
            #expect(outcomes[2].message == "Back soon")
            // A load balancer's page: botocore falls back to the status code.
            #expect(outcomes[3].status == 502)
            #expect(outcomes[3].code == "502")
            #expect(outcomes[3].requestId == nil)
            #expect(outcomes[4].fields == ["IdentityPoolId": .text(PoolIDs.ireland)])
            #expect(outcomes[5].code == "DuplicateRequestException")
            #expect(outcomes[6].code == "InvalidParameterException")
            #expect(outcomes[7].code == "InvalidSignatureException")
            #expect(outcomes[7].status == 403)
            #expect(outcomes[8].code == "UnrecognizedClientException")
            // Each answer has its own request id, the one botocore reports.
            let ids = outcomes.compactMap(\.requestId)
            #expect(Set(ids).count == ids.count)
        }
    }
}
