import ArgumentParser
import Foundation
import Logging
import NIOCore
import AWSClient
import AWSCore
import AWSCredentialProviders
import Simulator

/// `simulate`: the Cognito Sync API simulator, standalone.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a simulated Cognito Sync API on loopback, following a scenario.",
        discussion: """
            Try the watcher, your alerting or any AWS SDK against it before pointing them at AWS. \
            It serves HTTPS, as AWS does: with a certificate from a CA made for the run, whose \
            certificate it writes to a file for clients to trust (AWS_CA_BUNDLE), or with the \
            certificate and key you give it. It verifies SigV4 signatures (unless the scenario turns \
            that off); the demo key pair is AWS_ACCESS_KEY_ID=\(ScenarioCredential.demo.accessKeyID) \
            with the secret in scenarios/README.md. Faults can be injected while it runs: \
            POST /_simulator/faults. Stops on SIGINT or SIGTERM.

            Examples:
              cognito-sync-watcher simulate --port 4600
              cognito-sync-watcher simulate --ca-file /tmp/simulator-ca.pem --port 4600
              cognito-sync-watcher simulate --tls-certificate cert.pem --tls-key key.pem
              cognito-sync-watcher simulate --no-tls --scenario my-scenario.json --port 4600
            """
    )

    @Option(help: ArgumentHelp("A scenario file (default: the built-in demo scenario, scenarios/demo.json).", valueName: "path"))
    var scenario: String?

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port: Int = 4600

    @Option(help: ArgumentHelp("The address to listen on. The admin API is unauthenticated: keep it on loopback.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Flag(inversion: .prefixedNo, help: "Serve HTTPS (--no-tls: plain HTTP, which the watcher accepts on loopback only).")
    var tls = true

    @Option(help: ArgumentHelp("Where to write the certificate of the CA made for this run (default: a new temporary directory, removed at exit).", valueName: "path"))
    var caFile: String?

    @Option(help: ArgumentHelp("Serve this PEM certificate chain instead of one from a CA made for the run (needs --tls-key).", valueName: "path"))
    var tlsCertificate: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-certificate.", valueName: "path"))
    var tlsKey: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-certificate and --tls-key go together: give both, or neither for a certificate made for the run.")
        }
        if !tls, tlsCertificate != nil || caFile != nil {
            throw ValidationError("--no-tls serves plain HTTP; --tls-certificate, --tls-key and --ca-file need HTTPS.")
        }
        if tlsCertificate != nil, caFile != nil {
            throw ValidationError("--ca-file is for the CA made for the run; with --tls-certificate, trust your own CA instead.")
        }
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
        let served = try serverTLS()
        defer { served.temporaryDirectory.map { try? FileManager.default.removeItem(atPath: $0) } }
        let server: SimulatorServer
        do {
            server = try await SimulatorServer.start(
                simulator: Simulator(scenario: loaded, logger: logger), host: host, port: port, tls: served.tls, logger: logger)
        } catch {
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)).lowercased() } ?? "\(error)"
            throw CommandFailure(.usage, "cannot listen on \(host):\(port): \(reason); choose another --port (0 picks a free one) or --host")
        }
        print("Simulating Cognito Sync at \(server.endpoint) with \(loaded.pools.count) pools; stop with Ctrl-C.")
        if let caFile = served.caFile {
            print("Its certificate is signed by a CA made for this run: \(caFile)")
            print("Point a client at it: --endpoint \(server.endpoint) with AWS_CA_BUNDLE=\(caFile) AWS_ACCESS_KEY_ID=\(ScenarioCredential.demo.accessKeyID).")
        } else {
            print("Point a client at it: --endpoint \(server.endpoint) with AWS_ACCESS_KEY_ID=\(ScenarioCredential.demo.accessKeyID).")
        }
        // Scripts wait for these lines to learn the port (--port 0): do not hold them in a pipe's buffer.
        fflush(nil)
        for await _ in signals { break }
        try await server.shutdown()
    }

    /// What the listener serves: nothing (plain HTTP), the given files, or a certificate from a
    /// CA made now, whose certificate is written where clients can read it.
    private func serverTLS() throws -> (tls: SimulatorTLS?, caFile: String?, temporaryDirectory: String?) {
        guard tls else { return (nil, nil, nil) }
        if let tlsCertificate, let tlsKey {
            func read(_ path: String, option: String) throws -> [UInt8] {
                do {
                    return try SmallFile.contents(of: path, limit: 1024 * 1024)
                } catch {
                    throw CommandFailure(.usage, "\(option) \(path) \(error.reason)")
                }
            }
            let chain = try read(tlsCertificate, option: "--tls-certificate")
            let key = try read(tlsKey, option: "--tls-key")
            do {
                return (try SimulatorTLS(certificateChainPEM: chain, from: tlsCertificate, privateKeyPEM: key, from: tlsKey), nil, nil)
            } catch {
                throw CommandFailure(.usage, error.message)
            }
        }
        let authority: PrivateCertificateAuthority
        let tls: SimulatorTLS
        do {
            authority = try PrivateCertificateAuthority()
            tls = try SimulatorTLS(identity: authority.issueServerIdentity(for: Self.certificateNames(host: host)))
        } catch {
            throw CommandFailure(.unavailable, "cannot make a certificate for the simulator (\(error)); this build is broken, please report it")
        }
        var temporaryDirectory: String?
        let caFile: String
        if let given = self.caFile {
            caFile = given
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cognito-sync-simulator-\(UUID().uuidString)")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
            } catch {
                throw CommandFailure(.usage, "cannot create a temporary directory for the CA certificate in \(FileManager.default.temporaryDirectory.path); set TMPDIR or --ca-file")
            }
            temporaryDirectory = directory.path
            caFile = directory.appendingPathComponent("ca.pem").path
        }
        guard FileManager.default.createFile(atPath: caFile, contents: Data(authority.certificatePEM.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw CommandFailure(.usage, "cannot write the CA certificate to \(caFile); choose another place with --ca-file")
        }
        return (tls, caFile, temporaryDirectory)
    }

    /// The names the certificate is for: loopback's, and the address listened on.
    static func certificateNames(host: String) -> [String] {
        var names = ["localhost", "127.0.0.1", "::1"]
        if !names.contains(host), host != "0.0.0.0", host != "::" { names.append(host) }
        return names
    }
}
