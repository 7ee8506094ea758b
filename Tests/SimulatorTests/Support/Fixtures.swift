import AWSSigning
import Foundation
import Logging
import Model
import NIOHTTP1
import NetworkTestSupport
import Simulator
import Testing

/// Pool ids used across the tests: realistic lower-case GUIDs.
enum PoolIDs {
    static let succeeding = "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10"
    static let failing = "us-east-1:5d2e7f1a-3b4c-4d5e-8f60-718293a4b5c6"
    static let ireland = "eu-west-1:9e8d7c6b-5a49-4382-b716-a5f4e3d2c1b0"
    static let undeclared = "us-east-1:00000000-1111-2222-3333-444444444444"

    static func id(_ raw: String) throws -> IdentityPoolID {
        try IdentityPoolID(validating: raw)
    }
}

/// A logger that drops everything, so test output stays readable.
let quietLogger = Logger(label: "simulator-tests") { _ in SwiftLogNoOpLogHandler() }

/// A scenario with two pools: one that runs and succeeds, one that fails; and one in eu-west-1.
func standardScenario(credentials: [ScenarioCredential] = [.demo], faults: [FaultRule] = [], poolFaults: [FaultRule] = []) throws -> Scenario {
    Scenario(
        credentials: credentials,
        pools: [
            ScenarioPool(
                id: try PoolIDs.id(PoolIDs.succeeding), name: "ok",
                timeline: [
                    TimelineEntry(at: 0, status: .notStarted),
                    TimelineEntry(at: 2, status: .inProgress),
                    TimelineEntry(at: 6, status: .succeeded),
                ],
                bulkPublish: BulkPublishBehaviour(durationSeconds: 5, outcome: .succeeded),
                faults: poolFaults
            ),
            ScenarioPool(
                id: try PoolIDs.id(PoolIDs.failing), name: "fails",
                timeline: [
                    TimelineEntry(at: 0, status: .inProgress, startedAt: -30),
                    TimelineEntry(at: 4, status: .failed, failureMessage: "Kinesis stream not found"),
                ],
                bulkPublish: BulkPublishBehaviour(durationSeconds: 3, outcome: .failed, failureMessage: "Access denied to stream")
            ),
            ScenarioPool(id: try PoolIDs.id(PoolIDs.ireland), name: "ireland"),
        ],
        faults: faults
    )
}

/// Signs requests the way the project's client does.
struct RequestSigner {
    var credential: ScenarioCredential = .demo
    /// The scope's region; the pool's own when `nil`.
    var region: String?
    var service = "cognito-sync"

    func sign(_ request: TestRequest, region: String, date: Date) -> TestRequest {
        let signable = SignableRequest(method: request.method, path: pathPart(request.target), query: queryPart(request.target),
                                       headers: request.headers, body: request.body)
        let credentials = AWSCredentials(accessKeyID: credential.accessKeyID, secretAccessKey: credential.secretAccessKey,
                                         sessionToken: credential.sessionToken)
        let signed = SigV4Signer(service: service, region: self.region ?? region).sign(signable, credentials: credentials, date: date)
        var result = request
        result.headers = signed.headers
        return result
    }

    private func pathPart(_ target: String) -> String {
        target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
    }

    private func queryPart(_ target: String) -> String? {
        target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) }
    }
}

/// A running simulator on loopback with a manual clock, and helpers to talk to it.
struct Harness: Sendable {
    let simulator: Simulator
    let server: SimulatorServer
    let clock: ManualClock

    var port: Int { server.port }
    var client: TestHTTPClient { TestHTTPClient(port: port) }

    /// Runs `body` against a fresh simulator and always shuts it down.
    static func run(
        _ scenario: Scenario,
        clock: ManualClock = ManualClock(),
        _ body: (Harness) async throws -> Void
    ) async throws {
        let simulator = Simulator(scenario: scenario, clock: clock, logger: quietLogger)
        let server = try await SimulatorServer.start(simulator: simulator, tls: TestTLS.server, logger: quietLogger)
        let harness = Harness(simulator: simulator, server: server, clock: clock)
        do {
            try await body(harness)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// An unsigned request for an operation, as the client would build it before signing.
    func unsigned(_ operation: String = "getBulkPublishDetails", pool: String, method: String = "POST") -> TestRequest {
        TestRequest(method: method, target: "/identitypools/\(AWSURIEncoding.encodePathLabel(pool))/\(operation)",
                    headers: [(name: "Host", value: "127.0.0.1:\(port)")])
    }

    /// A request signed at the simulator's current time.
    func signed(
        _ operation: String = "getBulkPublishDetails",
        pool: String,
        method: String = "POST",
        signer: RequestSigner = RequestSigner(),
        at date: Date? = nil
    ) -> TestRequest {
        let region = String(pool.prefix { $0 != ":" })
        var request = signer.sign(unsigned(operation, pool: pool, method: method), region: region, date: date ?? clock.now())
        // Added after signing, as botocore's HTTP layer does.
        request.headers.append((name: "Content-Length", value: "0"))
        return request
    }

    /// `GetBulkPublishDetails` for `pool`, signed now, on a new connection.
    func details(_ pool: String) async throws -> TestResponse {
        try await client.send(signed(pool: pool))
    }

    /// `BulkPublish` for `pool`, signed now, on a new connection.
    func bulkPublish(_ pool: String) async throws -> TestResponse {
        try await client.send(signed("bulkpublish", pool: pool))
    }

    /// Sends a request to the admin API.
    func admin(_ method: String, _ path: String, json: String? = nil) async throws -> TestResponse {
        var headers = [(name: "Host", value: "127.0.0.1:\(port)")]
        let body = Array((json ?? "").utf8)
        headers.append((name: "Content-Length", value: String(body.count)))
        return try await client.send(TestRequest(method: method, target: "/_simulator/\(path)", headers: headers, body: body))
    }
}

/// The parts of an AWS JSON error a client reads.
struct ErrorBody: Decodable, Equatable {
    var type: String
    var message: String

    private enum CodingKeys: String, CodingKey {
        case type = "__type"
        case message
    }
}

extension TestResponse {
    /// The error code as botocore derives it: the `x-amzn-ErrorType` header cut at the first ':'.
    var errorCode: String? {
        header("x-amzn-ErrorType").map { String($0.prefix { $0 != ":" }) }
    }

    func errorBody() throws -> ErrorBody {
        try JSONDecoder().decode(ErrorBody.self, from: Data(body))
    }

    func details() throws -> BulkPublishDetails {
        try JSONDecoder().decode(BulkPublishDetails.self, from: Data(body))
    }

    /// The body's top-level keys.
    func jsonKeys() throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return Set((object ?? [:]).keys)
    }
}
