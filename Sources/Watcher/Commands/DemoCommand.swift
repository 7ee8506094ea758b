import AWSClient
import AWSCore
import AWSCredentialProviders
import ArgumentParser
import Daemon
import Foundation
import Logging
import Model
import Simulator
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `demo`: the embedded simulator and the real daemon loop, watched for half a minute.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch four simulated pools for 30 seconds: no AWS account needed.",
        discussion: """
            Starts the built-in Cognito Sync simulator on a free loopback port, over HTTPS \
            with a certificate from a CA made for the run, with the \
            demo scenario (scenarios/demo.json): a pool whose run succeeds, one whose run \
            fails with a FailureMessage, one whose run stalls, and one that goes through \
            a 503 outage before its run succeeds. The real watcher loop polls it with \
            fast cadences, prints each event as the journal would get it, then a summary. \
            Requests are signed with the simulator's demo key pair; your AWS settings \
            and credentials are not read, and the state it saves goes to a temporary \
            directory that is removed afterwards.

            Examples:
              cognito-sync-watcher demo
              cognito-sync-watcher demo --speed 3
              cognito-sync-watcher demo --duration 45s

            Exit status: 0 after the summary; 130 when interrupted (the summary is
            printed first).
            """
    )

    @Option(
        help: ArgumentHelp("How long to watch (default: 30s, divided by --speed).", valueName: "duration"),
        transform: { try WaitCommand.parseDuration($0, option: "--duration") })
    var duration: DurationArgument?

    @Option(help: ArgumentHelp("Play the scenario this many times faster; cadences shrink to match (polls still come at most once a second).", valueName: "factor"))
    var speed: Double = 1

    func validate() throws {
        guard speed.isFinite, (0.1...20).contains(speed) else {
            throw ValidationError("--speed must be between 0.1 and 20, e.g. --speed 3.")
        }
        if let duration, duration.seconds <= 0 {
            throw ValidationError("--duration must be longer than 0 seconds.")
        }
    }

    /// The demo's own cadences at speed 1: a poll a second while a run is in progress, a stall
    /// reported after 21 s (the longest run that finishes takes 18 s), transient errors after two
    /// in a row.
    static let cadences = PoolSettings(
        inProgressInterval: .seconds(1), idleInterval: .seconds(2), finishedInterval: .seconds(2), stallAfter: .seconds(21),
        reportErrorsAfter: 2, jitter: 0.1, errorBackoffBase: .seconds(1), errorBackoffMax: .seconds(4)
    )

    func run() async throws {
        let signals = SignalStream.make([SIGINT, SIGTERM])
        let scenario: Scenario
        do {
            scenario = try DemoScenario.scenario().spedUp(by: speed)
        } catch {
            throw CommandFailure(.usage, "the built-in demo scenario does not parse (\(error)); this build is broken, please report it")
        }
        let watchFor = duration?.seconds ?? 30 / speed
        var diagnostics = Logger(label: BuildInfo.name) { label in StreamLogHandler.standardError(label: label) }
        diagnostics.logLevel = .warning
        let silent = Logger(label: "cognito-sync-simulator") { _ in SwiftLogNoOpLogHandler() }

        // HTTPS as at AWS, with a CA made for this run that only this process trusts.
        let authority: PrivateCertificateAuthority
        let tls: SimulatorTLS
        let trust: TrustSettings
        do {
            authority = try PrivateCertificateAuthority(name: "cognito-sync-watcher demo CA")
            tls = try SimulatorTLS(identity: authority.issueServerIdentity())
            trust = try TrustSettings.pem(Array(authority.certificatePEM.utf8), path: "the demo's own CA", setting: "demo")
        } catch {
            throw CommandFailure(.unavailable, "cannot make the demo's TLS certificate (\(error)); this build is broken, please report it")
        }
        let simulator = Simulator(scenario: scenario, logger: silent)
        let server: SimulatorServer
        do {
            server = try await SimulatorServer.start(simulator: simulator, host: "127.0.0.1", port: 0, tls: tls, logger: silent)
        } catch {
            throw CommandFailure(.unavailable, "cannot start the simulator on a loopback port (\(error)); check that 127.0.0.1 is usable")
        }
        let endpoint = server.endpoint
        let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("\(BuildInfo.name)-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stateDirectory) }
        let store: FileStateStore
        do {
            store = try FileStateStore(directory: stateDirectory)
        } catch {
            try? await server.shutdown()
            throw CommandFailure(.usage, "cannot create a temporary state directory (\(error)); set TMPDIR to a writable directory")
        }

        let pools = scenario.pools.map { WatchedPool(id: $0.id, name: $0.name, settings: Self.cadences.spedUp(by: speed)) }
        let configuration = WatcherConfiguration(
            aws: AWSOptions(endpoint: endpoint), stateDirectory: stateDirectory.path,
            limits: RequestLimits(maxRequestsPerSecond: 50, maxConcurrentPolls: 8, requestTimeout: .seconds(5)),
            defaults: Self.cadences.spedUp(by: speed), pools: pools
        )
        // The daemon's arrangement: one event loop for the connections and the loop.
        let eventLoop = LoopEventLoop()
        let transport = HTTPTransport(settings: NetworkSettings(trust: trust), requestTimeout: .seconds(5), eventLoopGroup: eventLoop.group)
        let client = CognitoSyncClient(
            transport: transport, credentials: DemoCredentials(),
            configuration: CognitoSyncClientConfiguration(endpoint: EndpointSettings(endpointURL: endpoint), environment: [:], requestTimeout: .seconds(5)),
            logger: silent
        )
        let sink = RecordingEventSink(passingTo: StderrEventSink.writing(to: STDOUT_FILENO))
        let fetcher = CountingFetcher(passingTo: CognitoSyncDetailsFetcher(client: client))
        let loop = WatchLoop(
            configuration: configuration, fetcher: fetcher, sink: sink, store: store, notifier: NoServiceNotifier(),
            scheduler: eventLoop.scheduler, executor: eventLoop.executor, logger: diagnostics
        )

        Self.say(introduction(scenario: scenario, endpoint: endpoint, seconds: watchFor))
        await loop.start()
        let interrupted = await Self.watch(for: watchFor, signals: signals)
        await loop.stop(gracePeriod: .seconds(2))
        let states = await loop.states
        try? await server.shutdown()
        await transport.shutdown()
        await eventLoop.shutdown()

        let events = sink.events
        Self.say("""

            Summary after \(EventText.duration(watchFor))\(interrupted ? " (interrupted)" : ""): \
            \(events.count) event\(events.count == 1 ? "" : "s") reported for \(pools.count) pools.
            \(DemoSummary.outcome(pools: pools, states: states, events: events, counts: fetcher.tally, served: simulator.requestLog))

            What next:
              cognito-sync-watcher simulate --port 4600   the same simulator, to try status and wait against
              cognito-sync-watcher help wait              block a deploy script until a bulk publish is done
              cognito-sync-watcher check-config FILE      validate a configuration, then run it under systemd
            """)
        if interrupted {
            throw ExitCode(ExitStatus.interrupted.rawValue)
        }
    }

    private func introduction(scenario: Scenario, endpoint: String, seconds: Double) -> String {
        """
        A simulated Cognito Sync service is answering at \(endpoint) for \(scenario.pools.count) identity pools, over HTTPS
        with a certificate from a private CA made for this run (as a company's own CA would be trusted).
        The watcher daemon's loop polls it for \(EventText.duration(seconds))\(speed == 1 ? "" : " (the story \(DemoSummary.format(speed))x faster)"), signing its
        requests with the simulator's demo key pair: no AWS account is used.

        \(DemoSummary.plan(for: scenario))

        Events, one line each, as the journal gets them:
        """
    }

    /// Waits `seconds`, or until SIGINT or SIGTERM; true when a signal came first.
    private static func watch(for seconds: Double, signals: AsyncStream<Int32>) async -> Bool {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                    return false
                } catch {
                    return nil
                }
            }
            group.addTask {
                for await _ in signals { return true }
                return nil
            }
            var interrupted = false
            while let next = await group.next() {
                if let next {
                    interrupted = next
                    break
                }
            }
            group.cancelAll()
            return interrupted
        }
    }

    private static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

extension PoolSettings {
    /// The cadences of a story told `factor` times faster.
    func spedUp(by factor: Double) -> PoolSettings {
        var copy = self
        copy.inProgressInterval /= factor
        copy.idleInterval /= factor
        copy.finishedInterval /= factor
        copy.stallAfter /= factor
        copy.errorBackoffBase /= factor
        copy.errorBackoffMax /= factor
        return copy
    }
}
