import ArgumentParser
import Foundation
import Logging
import Simulator

/// `simulate`: the Cognito Sync API simulator, standalone.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a simulated Cognito Sync API on loopback, following a scenario.",
        discussion: """
            Try the watcher, your alerting or any AWS SDK against it before pointing them at AWS. \
            It verifies SigV4 signatures (unless the scenario turns that off); the demo key pair is \
            AWS_ACCESS_KEY_ID=\(ScenarioCredential.demo.accessKeyID) with the secret in scenarios/README.md. \
            Faults can be injected while it runs: POST /_simulator/faults. Stops on SIGINT or SIGTERM.

            Examples:
              cognito-sync-watcher simulate --port 4600
              cognito-sync-watcher simulate --scenario my-scenario.json --port 4600
            """
    )

    @Option(help: ArgumentHelp("A scenario file (default: the built-in demo scenario, scenarios/demo.json).", valueName: "path"))
    var scenario: String?

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port: Int = 4600

    @Option(help: ArgumentHelp("The address to listen on. The admin API is unauthenticated: keep it on loopback.", valueName: "address"))
    var host: String = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
    }

    func run() async throws {
        let loaded: Scenario
        do {
            loaded = try scenario.map { try Scenario.load(contentsOf: URL(fileURLWithPath: $0)) } ?? DemoScenario.scenario()
        } catch {
            throw CommandFailure(.usage, "\(scenario ?? "the demo scenario"): \(error)")
        }
        let logger = Logger(label: "cognito-sync-simulator")
        let signals = SignalStream.make([SIGINT, SIGTERM])
        let server: SimulatorServer
        do {
            server = try await SimulatorServer.start(simulator: Simulator(scenario: loaded, logger: logger), host: host, port: port, logger: logger)
        } catch {
            throw CommandFailure(.usage, "cannot listen on \(host):\(port): \(error)")
        }
        print("Simulating Cognito Sync at http://\(host):\(server.port) with \(loaded.pools.count) pools; stop with Ctrl-C.")
        print("Point a client at it: --endpoint http://\(host):\(server.port) with AWS_ACCESS_KEY_ID=\(ScenarioCredential.demo.accessKeyID).")
        // Scripts wait for these lines to learn the port (--port 0): do not hold them in a pipe's buffer.
        fflush(nil)
        for await _ in signals { break }
        try await server.shutdown()
    }
}
