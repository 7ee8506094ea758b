#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import NetworkTestSupport
import Simulator
import Testing
import ProcessSupport

/// `simulate` as users start it: HTTPS with a CA made for the run (its certificate written where
/// they can trust it), their own certificate and key, or plain HTTP when asked.
struct SimulateCommandTests {
    private let scratch: ScratchDirectory
    private static let pool = "us-east-1:4f7c2d9a-1b3e-4c8f-a6d2-9e0b5a7c3f14"

    init() throws {
        scratch = try ScratchDirectory()
    }

    /// Starts `simulate` and waits for the line that names its endpoint.
    private func start(_ arguments: [String]) async throws -> (ChildProcess, String, ChildProcess.Output) {
        let simulator = try Watcher.start(["simulate", "--port", "0"] + arguments, home: scratch.url)
        let output = await simulator.wait(timeout: .seconds(20)) { $0.isComplete || $0.stdout.contains("Point a client at it") }
        let endpoint = try #require(output?.stdout.firstMatch(of: /at (https?:\/\/127\.0\.0\.1:[0-9]+) with/).map { String($0.1) }, "\(simulator.output)")
        return (simulator, endpoint, try #require(output))
    }

    private func status(_ endpoint: String, environment: [String: String] = [:]) async throws -> ChildProcess.Output {
        try await Watcher.run(["status", "--endpoint", endpoint, Self.pool], home: scratch.url, environment: Watcher.demoKeys.merging(environment) { $1 })
    }

    @Test func servesHTTPSWithACAMadeForTheRun() async throws {
        let caFile = scratch.url.appendingPathComponent("simulator-ca.pem").path
        let (simulator, endpoint, output) = try await start(["--ca-file", caFile])
        #expect(endpoint.hasPrefix("https://"))
        #expect(output.stdout.contains("Its certificate is signed by a CA made for this run: \(caFile)"), "\(output)")
        #expect(output.stdout.contains("AWS_CA_BUNDLE=\(caFile)"), "\(output)")
        let trusted = try await status(endpoint, environment: ["AWS_CA_BUNDLE": caFile])
        #expect(trusted.status == 0, "\(trusted)")
        let untrusted = try await status(endpoint)
        #expect(untrusted.status == 3 && untrusted.stdout.contains("CertificateUntrusted"), "\(untrusted)")
        simulator.send(SIGTERM)
        #expect(await simulator.finish(timeout: .seconds(10)).status == 0)
        #expect(FileManager.default.fileExists(atPath: caFile), "a CA file the user named stays")
    }

    @Test func theDefaultCAFileIsRemovedAtExit() async throws {
        let (simulator, _, output) = try await start([])
        let caFile = try #require(output.stdout.firstMatch(of: /made for this run: (\S+)/).map { String($0.1) })
        #expect(FileManager.default.fileExists(atPath: caFile))
        simulator.send(SIGTERM)
        _ = await simulator.finish(timeout: .seconds(10))
        #expect(!FileManager.default.fileExists(atPath: caFile))
        #expect(!FileManager.default.fileExists(atPath: (caFile as NSString).deletingLastPathComponent))
    }

    @Test func servesTheCertificateAndKeyGiven() async throws {
        let identity = try TestTLS.authority.issueServerIdentity()
        let certificate = try scratch.write(identity.certificateChainPEM, to: "server.pem")
        let key = try scratch.write(identity.privateKeyPEM, to: "server.key")
        let (simulator, endpoint, output) = try await start(["--tls-certificate", certificate, "--tls-key", key])
        #expect(!output.stdout.contains("made for this run"))
        #expect(try await status(endpoint).status == 0, "the test CA is trusted through AWS_CA_BUNDLE")
        simulator.send(SIGTERM)
        _ = await simulator.finish(timeout: .seconds(10))

        let missing = try await Watcher.run(
            ["simulate", "--port", "0", "--tls-certificate", certificate, "--tls-key", scratch.url.appendingPathComponent("none.key").path],
            home: scratch.url)
        #expect(missing.status == 2 && missing.stderr.contains("--tls-key \(scratch.url.appendingPathComponent("none.key").path) does not exist"), "\(missing)")
        let swapped = try await Watcher.run(["simulate", "--port", "0", "--tls-certificate", key, "--tls-key", certificate], home: scratch.url)
        #expect(swapped.status == 2 && swapped.stderr.contains("\(key) holds no PEM certificate"), "\(swapped)")
    }

    /// Plain HTTP, when asked: the watcher accepts it on loopback only.
    @Test func servesPlainHTTPWhenAsked() async throws {
        let (simulator, endpoint, _) = try await start(["--no-tls"])
        #expect(endpoint.hasPrefix("http://"))
        #expect(try await status(endpoint).status == 0)
        simulator.send(SIGTERM)
        _ = await simulator.finish(timeout: .seconds(10))
    }
}
