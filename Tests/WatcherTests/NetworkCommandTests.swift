#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Model
import NetworkTestSupport
import Simulator
import Testing
import ProcessSupport

/// The binary on the network as users meet it: a private CA given (or not), a proxy from the
/// environment, `check-config` showing what is in force, and the daemon picking up a corrected
/// CA bundle on SIGHUP. No message shows a library's type name, and no proxy password shows
/// anywhere.
struct NetworkCommandTests {
    private let scratch: ScratchDirectory
    private static let pool = TestPool.id(501)
    private static let other = TestPool.id(502, region: "eu-west-1")

    init() throws {
        scratch = try ScratchDirectory()
    }

    private static func start() async throws -> SimulatedService {
        try await SimulatedService.start([TestPool.scripted(pool, [(-30, .inProgress)]), TestPool.scripted(other, [(0, .notStarted)])])
    }

    /// Without the CA, `status` fails at once (no retries) with exit status 3 and says what to set.
    @Test func statusWithoutTheCANamesTheFixAndExitsAtOnce() async throws {
        let service = try await Self.start()
        defer { Task { await service.shutdown() } }
        let output = try await Watcher.run(
            ["status", "--endpoint", service.endpoint, Self.pool.rawValue], home: scratch.url,
            environment: Watcher.demoKeys.merging(["AWS_CA_BUNDLE": ""]) { $1 })
        #expect(output.status == 3, "\(output)")
        #expect(output.stdout.contains("CertificateUntrusted: the certificate of 127.0.0.1:\(service.server.port) is issued by 'CN=cognito-sync-watcher test CA"), "\(output)")
        #expect(output.stdout.contains("set AWS_CA_BUNDLE or aws.caBundle to that CA's PEM file"), "\(output)")
        #expect(!output.stdout.contains("after "), "a certificate fault is not retried: \(output)")
        #expect(PlainWords.problems(in: output.stdout + output.stderr).isEmpty, "\(output)")
        // --ca-bundle is the explicit setting and wins over the environment.
        let fixed = try await Watcher.run(
            ["status", "--endpoint", service.endpoint, "--ca-bundle", TestTLS.caFile, Self.pool.rawValue], home: scratch.url,
            environment: Watcher.demoKeys.merging(["AWS_CA_BUNDLE": "/nonexistent/ca.pem"]) { $1 })
        #expect(fixed.status == 0, "\(fixed)")
    }

    @Test func aCABundleThatCannotBeReadIsAUsageError() async throws {
        let missing = scratch.url.appendingPathComponent("corp-ca.pem").path
        let output = try await Watcher.run(
            ["status", "--endpoint", "https://127.0.0.1:1", Self.pool.rawValue], home: scratch.url,
            environment: Watcher.demoKeys.merging(["AWS_CA_BUNDLE": missing]) { $1 })
        #expect(output.status == 2, "\(output)")
        #expect(output.stderr.contains("the CA bundle \(missing) (from AWS_CA_BUNDLE) does not exist"), "\(output)")
    }

    /// `HTTPS_PROXY` from the environment, with a user and a password that must not be shown,
    /// even in debug logs.
    @Test func statusGoesThroughTheEnvironmentsProxy() async throws {
        let service = try await Self.start()
        defer { Task { await service.shutdown() } }
        let proxy = try await ForwardProxy.start(credentials: ("ops", "pr0xy-Passw0rd"))
        defer { Task { await proxy.shutdown() } }
        let environment = Watcher.demoKeys.merging(["HTTPS_PROXY": "http://ops:pr0xy-Passw0rd@127.0.0.1:\(proxy.port)"]) { $1 }
        let output = try await Watcher.run(
            ["status", "--endpoint", service.endpoint, Self.pool.rawValue, Self.other.rawValue], home: scratch.url, environment: environment)
        #expect(output.status == 0, "\(output)")
        // The two pools are asked at once: a tunnel each.
        #expect(proxy.requests.map(\.target) == Array(repeating: "127.0.0.1:\(service.server.port)", count: 2), "\(proxy.requests)")
        #expect(proxy.requests.allSatisfy { $0.status == 200 })

        let refused = try await Watcher.run(
            ["status", "--endpoint", service.endpoint, Self.pool.rawValue], home: scratch.url,
            environment: environment.merging(["HTTPS_PROXY": "http://ops:wr0ng-Passw0rd@127.0.0.1:\(proxy.port)"]) { $1 })
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stdout.contains("ProxyAuthenticationRequired: the proxy 127.0.0.1:\(proxy.port) (from HTTPS_PROXY)"), "\(refused)")

        let checked = try await Watcher.run(
            ["check-config", try scratch.write("{\"aws\": {\"endpoint\": \"\(service.endpoint)\"}, \"pools\": [\"\(Self.pool)\"]}", to: "config.json")],
            home: scratch.url, environment: environment.merging(["NO_PROXY": "localhost, 169.254.169.254"]) { $1 })
        #expect(checked.status == 0, "\(checked)")
        for line in [
            "Trusted CAs:     \(TestTLS.caFile) (from AWS_CA_BUNDLE, 1 certificate)",
            "Proxies:         https through http://127.0.0.1:\(proxy.port) (user ops) (from HTTPS_PROXY); http direct; direct for localhost, 169.254.169.254 (from NO_PROXY)",
            "  us-east-1: \(service.endpoint) through the proxy http://127.0.0.1:\(proxy.port) (user ops)",
        ] {
            #expect(checked.stdoutLines.contains(line), "'\(line)' missing: \(checked)")
        }
        for run in [output, refused, checked] {
            for secret in ["pr0xy-Passw0rd", "wr0ng-Passw0rd", Data("ops:pr0xy-Passw0rd".utf8).base64EncodedString()] {
                #expect(!(run.stdout + run.stderr).contains(secret), "a proxy password was shown: \(run)")
            }
        }
    }

    /// The daemon with the wrong CA reports the fault once per pool and keeps trying; a corrected
    /// bundle under the same name is read again on SIGHUP, and the pools recover.
    @Test func theDaemonReadsTheCABundleAgainOnReload() async throws {
        let service = try await Self.start()
        defer { Task { await service.shutdown() } }
        let bundle = try scratch.write(try PrivateCertificateAuthority(name: "Stale CA").certificatePEM, to: "ca.pem")
        let config = try scratch.write("""
            {
              "aws": {"endpoint": "\(service.endpoint)", "caBundle": "\(bundle)"},
              "stateDirectory": "\(scratch.url.appendingPathComponent("state").path)",
              "defaults": {"inProgressIntervalSeconds": 1, "idleIntervalSeconds": 1, "jitter": 0,
                           "errorBackoffBaseSeconds": 1, "errorBackoffMaxSeconds": 1},
              "pools": [{"id": "\(Self.pool)", "name": "orders"}, {"id": "\(Self.other)", "name": "profiles"}]
            }
            """, to: "config.json")
        let daemon = try Watcher.start(
            ["run", "--config", config, "--log-target", "stderr", "--log-level", "debug"], home: scratch.url, environment: Watcher.demoKeys)
        let reported = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || ["(orders)", "(profiles)"].allSatisfy { name in
                output.stderrLines.contains { $0.contains(name) && $0.contains("CertificateUntrusted") }
            }
        }
        #expect(reported?.isComplete == false, "\(daemon.output)")
        // It keeps trying at its error backoff: more TLS connections come.
        let accepted = service.server.connectionsAccepted
        let retried = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || service.server.connectionsAccepted >= accepted + 4
        }
        #expect(retried?.isComplete == false, "\(daemon.output)")

        try Data(TestTLS.authority.certificatePEM.utf8).write(to: URL(fileURLWithPath: bundle))
        daemon.send(SIGHUP)
        let recovered = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || (output.stderr.contains("(orders) NOT_STARTED -> IN_PROGRESS") || output.stderr.contains("(orders) IN_PROGRESS"))
        }
        #expect(recovered?.isComplete == false, "the pools did not recover after the reload: \(daemon.output)")
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        let faults = output.stderrLines.filter { $0.contains("Cannot poll pool") && $0.contains("CertificateUntrusted") }
        #expect(faults.filter { $0.contains("(orders)") }.count == 1, "reported once per pool: \(output)")
        #expect(faults.filter { $0.contains("(profiles)") }.count == 1, "reported once per pool: \(output)")
        #expect(PlainWords.problems(in: faults.joined(separator: "\n")).isEmpty, "\(faults)")
        #expect(output.stderrLines.contains { $0.contains("(orders): Polling pool 'orders'") && $0.contains("works again") }, "\(output)")
    }

    /// The daemon through a proxy with a password, logging at trace level: the polls go through
    /// the tunnel, and neither the password nor its Basic encoding shows anywhere.
    @Test func theDaemonThroughAProxyNeverShowsItsPassword() async throws {
        let service = try await Self.start()
        defer { Task { await service.shutdown() } }
        let proxy = try await ForwardProxy.start(credentials: ("svc-watch", "Tr4ce-Pa55word"))
        defer { Task { await proxy.shutdown() } }
        let config = try scratch.write("""
            {
              "aws": {"endpoint": "\(service.endpoint)", "proxy": "http://svc-watch:Tr4ce-Pa55word@127.0.0.1:\(proxy.port)"},
              "stateDirectory": "\(scratch.url.appendingPathComponent("state").path)",
              "defaults": {"inProgressIntervalSeconds": 1, "idleIntervalSeconds": 1, "jitter": 0},
              "pools": [{"id": "\(Self.pool)", "name": "orders"}]
            }
            """, to: "config.json")
        let daemon = try Watcher.start(
            ["run", "--config", config, "--log-target", "stderr", "--log-level", "trace"], home: scratch.url, environment: Watcher.demoKeys)
        let polled = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || (output.stderr.contains("(orders) IN_PROGRESS") && service.simulator.requestLog.total >= 3)
        }
        #expect(polled?.isComplete == false, "\(daemon.output)")
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        #expect(!proxy.requests.isEmpty && proxy.requests.allSatisfy { $0.status == 200 }, "\(proxy.requests)")
        for secret in ["Tr4ce-Pa55word", Data("svc-watch:Tr4ce-Pa55word".utf8).base64EncodedString()] {
            #expect(!(output.stdout + output.stderr).contains(secret), "the proxy password was shown: \(output)")
        }
        let checked = try await Watcher.run(["check-config", config], home: scratch.url)
        #expect(checked.status == 0 && checked.stdout.contains("through http://127.0.0.1:\(proxy.port) (user svc-watch) (from aws.proxy.https)"), "\(checked)")
        #expect(!checked.stdout.contains("Tr4ce-Pa55word"))
    }
}
