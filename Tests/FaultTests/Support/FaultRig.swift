import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import AsyncHTTPClient
import Daemon
import DaemonTestSupport
import Dispatch
import Foundation
import Logging
import Model
import NetworkTestSupport
import Simulator

/// The real watch loop with the real AWS client, polling the in-process simulator over
/// loopback; the loop's clock and the simulator's move together, by hand.
///
/// Retries inside the client do not wait (their delays are recorded), so only the loop's own
/// schedule takes simulated time.
struct FaultRig {
    static let quiet = Logger(label: "fault-test") { _ in SwiftLogNoOpLogHandler() }

    /// Cadences short enough that a test covers many polls in little simulated time.
    static let settings = PoolSettings(
        inProgressInterval: .seconds(30), idleInterval: .seconds(60), finishedInterval: .seconds(300), stallAfter: .seconds(86_400),
        reportErrorsAfter: 3, jitter: 0.1, errorBackoffBase: .seconds(5), errorBackoffMax: .seconds(300)
    )

    static let demoKeys = AWSCredentials(
        accessKeyID: ScenarioCredential.demo.accessKeyID, secretAccessKey: ScenarioCredential.demo.secretAccessKey
    )

    let simulator: Simulator
    let scheduler: ManualScheduler
    let fetcher: RecordingFetcher
    let sink: RecordingSink
    let sleeps: SleepRecorder
    let loop: WatchLoop

    /// Starts a simulator for `scenario`, a client and a loop watching every pool of the
    /// scenario; runs `body`; then stops them all, whatever `body` did. The request timeout is a
    /// bound on a hang unless a test sets its own (as ``SimulatorBackedClient``'s).
    static func run(
        _ scenario: Scenario,
        credentials: any CredentialProvider = FixedCredentials(credentials: demoKeys),
        requestTimeout: Duration = .seconds(30),
        _ body: (FaultRig) async throws -> Void
    ) async throws {
        let clock = ManualClock()
        let simulator = Simulator(scenario: scenario, clock: clock, logger: quiet)
        let server = try await SimulatorServer.start(simulator: simulator, tls: TestTLS.server, logger: quiet)
        let transport = HTTPTransport(settings: TestTLS.network, requestTimeout: requestTimeout)
        // The service's clock moves with the daemon's; the daemon's wall clock starts at the
        // service's, and a test may step it alone (jumpWallClock).
        let scheduler = ManualScheduler(start: .origin, wallStart: clock.now()) { clock.advance(by: $0.seconds) }
        let sleeps = SleepRecorder()
        let client = CognitoSyncClient(
            transport: transport,
            credentials: RefreshingCredentials(provider: credentials, now: { scheduler.wallNow() }, logger: quiet),
            configuration: CognitoSyncClientConfiguration(
                endpoint: EndpointSettings(endpointURL: server.endpoint),
                environment: [:], requestTimeout: requestTimeout
            ),
            now: { scheduler.wallNow() },
            sleep: { sleeps.record($0) },
            logger: quiet
        )
        let fetcher = RecordingFetcher(base: CognitoSyncDetailsFetcher(client: client), clock: scheduler)
        let sink = RecordingSink()
        let configuration = WatcherConfiguration(
            limits: RequestLimits(maxRequestsPerSecond: 100, maxConcurrentPolls: 8, requestTimeout: .seconds(5)),
            defaults: settings,
            pools: scenario.pools.map { WatchedPool(id: $0.id, name: $0.name, settings: settings) }
        )
        let loop = WatchLoop(
            configuration: configuration, fetcher: fetcher, sink: sink, store: MemoryStateStore(),
            notifier: NoServiceNotifier(), scheduler: scheduler,
            executor: QueueExecutor(queue: DispatchQueue(label: "fault-test-loop")),
            random: SplitMix(state: 7), logger: quiet
        )
        let rig = FaultRig(simulator: simulator, scheduler: scheduler, fetcher: fetcher, sink: sink, sleeps: sleeps, loop: loop)
        let outcome: Result<Void, any Error>
        do {
            await loop.start()
            await loop.settle()
            try await body(rig)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await loop.stop(gracePeriod: .seconds(5))
        await transport.shutdown()
        try await server.shutdown()
        try outcome.get()
    }

    /// Runs the loop until `seconds` after the start, on both clocks.
    func advance(to seconds: Double) async {
        await scheduler.advance(to: MonotonicInstant(sinceOrigin: .seconds(seconds))) { await loop.settle() }
    }

    /// How many polls of `pool` the service answered with a fault.
    func faultedRequests(of pool: IdentityPoolID) -> Int {
        fetcher.polls(of: pool).filter { $0.failure != nil }.count
    }
}
