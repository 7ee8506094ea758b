import Foundation
import Logging
import Model
import NetworkTestSupport
import Simulator

/// The Cognito Sync simulator in this test process, on a free loopback port.
///
/// Its clock is a `ManualClock` that starts at the real time and moves only when the test calls
/// ``advance(to:)``, after the child process has shown it reached the step before: a scenario's
/// next step never races the start-up of a process on a busy machine.
struct SimulatedService {
    let server: SimulatorServer
    let clock: ManualClock
    var simulator: Simulator { server.simulator }
    /// `https://127.0.0.1:PORT`, with a certificate from the test CA.
    var endpoint: String { server.endpoint }
    /// Time 0 of the scenario.
    var startDate: Date { simulator.startDate }

    static func start(
        _ pools: [ScenarioPool], faults: [FaultRule] = [], credentials: [ScenarioCredential] = [.demo], roles: [ScenarioRole] = []
    ) async throws -> SimulatedService {
        let quiet = Logger(label: "test-simulator") { _ in SwiftLogNoOpLogHandler() }
        let clock = ManualClock(start: Date())
        let simulator = Simulator(scenario: Scenario(credentials: credentials, pools: pools, faults: faults, roles: roles), clock: clock, logger: quiet)
        let server = try await SimulatorServer.start(simulator: simulator, host: "127.0.0.1", port: 0, tls: TestTLS.server, logger: quiet)
        return SimulatedService(server: server, clock: clock)
    }

    /// Moves the scenario to `seconds` after its start.
    func advance(to seconds: TimeInterval) {
        clock.set(to: startDate.addingTimeInterval(seconds))
    }

    /// The time `seconds` after the scenario's start, as the service reports it.
    func time(_ seconds: TimeInterval) -> String {
        EventText.timestamp(startDate.addingTimeInterval(seconds))
    }

    func shutdown() async {
        try? await server.shutdown()
    }

    /// How many requests of `operation` the simulator answered with `status` for `pool`.
    func answers(_ status: Int, for pool: IdentityPoolID, operation: String = "GetBulkPublishDetails") -> Int {
        simulator.requestLog.recent.filter { $0.pool == pool.rawValue && $0.status == status && $0.operation == operation }.count
    }
}

/// Pool ids for tests: valid, distinct, and readable in failure messages.
enum TestPool {
    static func id(_ number: Int, region: String = "us-east-1") -> IdentityPoolID {
        let suffix = String(format: "%012d", number)
        // Valid by construction: decimal digits are hex digits.
        return try! IdentityPoolID(validating: "\(region):0000aaaa-1111-4222-8333-\(suffix)")
    }

    /// A pool with a scripted timeline: `(seconds after the scenario's start, status)`.
    static func scripted(
        _ id: IdentityPoolID, name: String? = nil, _ steps: [(TimeInterval, BulkPublishStatus)], failureMessage: String? = nil,
        bulkPublish: BulkPublishBehaviour = BulkPublishBehaviour(), faults: [FaultRule] = []
    ) -> ScenarioPool {
        ScenarioPool(
            id: id, name: name,
            timeline: steps.map { at, status in
                TimelineEntry(at: at, status: status, failureMessage: status == .failed ? failureMessage : nil)
            },
            bulkPublish: bulkPublish, faults: faults
        )
    }
}

extension ChildProcess.Output {
    /// stderr's lines without wait's elapsed-time prefix (`[12s] `), which depends on how busy
    /// the machine is.
    var progressLines: [String] {
        stderrLines.map { $0.replacing(#/^\[[0-9dhms ]+\] /#, with: "") }
    }
}
