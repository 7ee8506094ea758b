import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import AsyncHTTPClient
import Foundation
import Logging
import Model
import NetworkTestSupport
import Simulator
import Synchronization

/// A simulator on loopback with a hand-moved clock, and a client pointed at it whose waits
/// between retries are recorded instead of slept.
struct SimulatorBackedClient: Sendable {
    static let succeeding = "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10"
    static let failing = "us-east-1:5d2e7f1a-3b4c-4d5e-8f60-718293a4b5c6"
    static let unknown = "us-east-1:00000000-1111-2222-3333-444444444444"

    let simulator: Simulator
    let clock: ManualClock
    let client: CognitoSyncClient
    let server: SimulatorServer
    var port: Int { server.port }
    let sleeps: SleepRecorder

    static func pool(_ raw: String) throws -> IdentityPoolID { try IdentityPoolID(validating: raw) }

    /// The simulator's demo key pair.
    static let demoKeys = AWSCredentials(
        accessKeyID: ScenarioCredential.demo.accessKeyID, secretAccessKey: ScenarioCredential.demo.secretAccessKey)

    static func scenario() throws -> Scenario {
        Scenario(
            credentials: [.demo],
            pools: [
                ScenarioPool(id: try pool(succeeding), name: "ok", timeline: [
                    TimelineEntry(at: 0, status: .inProgress, startedAt: -30),
                    TimelineEntry(at: 60, status: .succeeded),
                ]),
                ScenarioPool(id: try pool(failing), name: "fails", timeline: [
                    TimelineEntry(at: 0, status: .failed, startedAt: -300, failureMessage: "Kinesis stream not found"),
                ]),
            ]
        )
    }

    /// Runs `body` with a fresh simulator and client, and always shuts both down.
    ///
    /// The request timeout is a bound on a hang unless a test sets its own: a machine busy with
    /// the rest of the suite can hold a loopback request for seconds, and a retry after a timeout
    /// would change the attempts and requests the tests count.
    static func run(
        credentials: AWSCredentials = demoKeys,
        requestTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 64 * 1024,
        connectionsPerHost: Int = 8,
        serverTLS: SimulatorTLS? = TestTLS.server,
        network: NetworkSettings = TestTLS.network,
        endpoint: ((SimulatorServer) -> String)? = nil,
        clientClock: (@Sendable (ManualClock) -> Date)? = nil,
        retryStrategy: StandardRetryStrategy? = nil,
        logger: Logger? = nil,
        _ body: (SimulatorBackedClient) async throws -> Void
    ) async throws {
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let clock = ManualClock()
        let simulator = Simulator(scenario: try scenario(), clock: clock, logger: quiet)
        let server = try await SimulatorServer.start(simulator: simulator, tls: serverTLS, logger: quiet)
        let transport = HTTPTransport(settings: network, requestTimeout: requestTimeout, connectionsPerHost: connectionsPerHost)
        let recorder = SleepRecorder()
        let client = CognitoSyncClient(
            transport: transport,
            credentials: StaticCredentials(credentials: credentials),
            configuration: CognitoSyncClientConfiguration(
                endpoint: EndpointSettings(endpointURL: endpoint?(server) ?? server.endpoint),
                environment: [:], requestTimeout: requestTimeout, maxResponseBytes: maxResponseBytes
            ),
            retryStrategy: retryStrategy,
            now: { clientClock?(clock) ?? clock.now() },
            sleep: { recorder.record($0) },
            logger: logger ?? quiet
        )
        let harness = SimulatorBackedClient(simulator: simulator, clock: clock, client: client, server: server, sleeps: recorder)
        let outcome: Result<Void, any Error>
        do {
            try await body(harness)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await transport.shutdown()
        try await server.shutdown()
        try outcome.get()
    }

    func details(_ raw: String) async throws(CognitoSyncError) -> BulkPublishDetails {
        // Only valid ids reach the client; the tests use valid ones.
        guard let pool = try? Self.pool(raw) else { throw CognitoSyncError(.malformedResponse("bad test id")) }
        return try await client.bulkPublishDetails(for: pool, region: pool.region)
    }

    /// The failure a call ends with, or nil if it succeeded.
    func failure(_ raw: String) async -> CognitoSyncError? {
        do {
            _ = try await details(raw)
            return nil
        } catch {
            return error
        }
    }
}

/// Credentials that never change.
struct StaticCredentials: CredentialProvider {
    var credentials: AWSCredentials
    var sourceName: String { "test" }
    func credentials() async throws -> AWSCredentials { credentials }
}

/// Records the waits a client asks for between retries.
final class SleepRecorder: Sendable {
    private let recorded = Mutex<[Duration]>([])
    func record(_ duration: Duration) { recorded.withLock { $0.append(duration) } }
    var all: [Duration] { recorded.withLock { $0 } }
}
