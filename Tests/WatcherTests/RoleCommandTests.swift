#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Crypto
import Foundation
import Model
import NetworkTestSupport
import Simulator
import Testing
import ProcessSupport

/// `status`, `wait` and the daemon through roles the simulator's STS hands out, as a user sets
/// them up: a profile assuming a role with a base profile's keys, a chained role, web identity.
struct RoleCommandTests {
    private let scratch: ScratchDirectory
    private static let pool = TestPool.id(601)

    init() throws {
        scratch = try ScratchDirectory()
    }

    /// The files and variables a user would have; `AWS_ENDPOINT_URL` points STS and Cognito Sync
    /// at the simulator.
    private func environment(_ service: SimulatedService) throws -> [String: String] {
        let config = try scratch.write("""
            [profile base]
            aws_access_key_id = \(ScenarioCredential.demo.accessKeyID)
            aws_secret_access_key = \(ScenarioCredential.demo.secretAccessKey)
            [profile watcher]
            role_arn = arn:aws:iam::123456789012:role/watcher
            source_profile = base
            [profile reader]
            role_arn = arn:aws:iam::123456789012:role/reader
            source_profile = watcher
            """, to: "aws-config")
        return ["AWS_CONFIG_FILE": config, "AWS_ENDPOINT_URL": service.endpoint]
    }

    private func stsCalls(_ service: SimulatedService) -> [String] {
        service.simulator.requestLog.recent.filter { $0.path == "/" }.map { "\($0.operation ?? "?") \($0.status ?? 0)" }
    }

    @Test func statusThroughARoleAndAChainedRole() async throws {
        let service = try await SimulatedService.start([TestPool.scripted(Self.pool, [(-30, .inProgress)])])
        defer { Task { await service.shutdown() } }
        for (profile, calls) in [("watcher", 1), ("reader", 3)] {
            let output = try await Watcher.run(["status", "--profile", profile, Self.pool.rawValue], home: scratch.url, environment: try environment(service))
            #expect(output.status == 0, "\(output)")
            #expect(output.stdout.contains("IN_PROGRESS"), "\(output)")
            #expect(stsCalls(service) == Array(repeating: "AssumeRole 200", count: calls), "\(stsCalls(service))")
        }
        // The service saw the role's temporary key, not the base profile's.
        let keys = Set(service.simulator.requestLog.recent.filter { $0.path != "/" }.compactMap(\.accessKeyId))
        #expect(!keys.isEmpty && keys.allSatisfy { $0.hasPrefix("ASIA") }, "\(keys)")
    }

    @Test func waitThroughWebIdentity() async throws {
        let service = try await SimulatedService.start([TestPool.scripted(Self.pool, [(-60, .inProgress), (-10, .succeeded)])])
        defer { Task { await service.shutdown() } }
        let token = try scratch.write("eyJhbGciOi.pod-token", to: "token")
        var environment = try environment(service)
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = token
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/pod"
        let output = try await Watcher.run(["wait", "--interval", "1", Self.pool.rawValue], home: scratch.url, environment: environment)
        #expect(output.status == 0, "\(output)")
        #expect(stsCalls(service) == ["AssumeRoleWithWebIdentity 200"])
    }

    /// `aws sso login` left a token in the cache: `status` uses it for the profile's role.
    @Test func statusThroughACachedSSOLogin() async throws {
        let service = try await SimulatedService.start([TestPool.scripted(Self.pool, [(-30, .inProgress)])])
        defer { Task { await service.shutdown() } }
        var environment = try environment(service)
        try scratch.write("""
            [profile dev]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = ReadOnly
            [sso-session corp]
            sso_start_url = https://example.awsapps.com/start
            sso_region = eu-west-1
            """, to: "aws-config")
        let cacheName = Insecure.SHA1.hash(data: Array("corp".utf8)).map { String(format: "%02x", $0) }.joined()
        try scratch.write(#"{"accessToken": "t", "expiresAt": "\#(Date().addingTimeInterval(3600).formatted(.iso8601))"}"#, to: ".aws/sso/cache/\(cacheName).json")
        environment["AWS_CONFIG_FILE"] = scratch.url.appendingPathComponent("aws-config").path
        let output = try await Watcher.run(["status", "--profile", "dev", Self.pool.rawValue], home: scratch.url, environment: environment)
        #expect(output.status == 0, "\(output)")
        #expect(service.simulator.requestLog.recent.contains { $0.operation == "GetRoleCredentials" && $0.status == 200 })
    }

    @Test func theDaemonThroughAChainedRole() async throws {
        let service = try await SimulatedService.start([TestPool.scripted(Self.pool, [(-30, .inProgress)])])
        defer { Task { await service.shutdown() } }
        let config = try scratch.write("""
            {
              "aws": {"profile": "reader"},
              "stateDirectory": "\(scratch.url.appendingPathComponent("state").path)",
              "defaults": {"inProgressIntervalSeconds": 1, "jitter": 0},
              "pools": [{"id": "\(Self.pool)", "name": "orders"}]
            }
            """, to: "config.json")
        let daemon = try Watcher.start(["run", "--config", config, "--log-target", "stderr", "--log-level", "info"], home: scratch.url, environment: try environment(service))
        let started = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || output.stderr.contains("(orders) IN_PROGRESS")
        }
        #expect(started?.isComplete == false, "\(daemon.output)")
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        #expect(output.stderr.contains("source=assume-role profile (profile reader)"), "the log names the source: \(output)")
        #expect(stsCalls(service) == ["AssumeRole 200", "AssumeRole 200"], "assumed once, then reused until near expiry: \(stsCalls(service))")
    }

    /// One daemon, pools in several accounts: each pool with its own profile or role. One
    /// identity failing (a role STS refuses) leaves the others' polling untouched.
    @Test func poolsWithIdentitiesOfTheirOwn() async throws {
        let other = TestPool.id(602)
        let third = TestPool.id(603, region: "eu-west-1")
        let service = try await SimulatedService.start(
            [TestPool.scripted(Self.pool, [(-30, .inProgress)]), TestPool.scripted(other, [(-30, .inProgress)]), TestPool.scripted(third, [(-30, .inProgress)])],
            roles: [ScenarioRole(arn: "arn:aws:iam::123456789012:role/watcher"), ScenarioRole(arn: "arn:aws:iam::123456789012:role/reader")])
        defer { Task { await service.shutdown() } }
        let config = try scratch.write("""
            {
              "aws": {"profile": "base"},
              "stateDirectory": "\(scratch.url.appendingPathComponent("state").path)",
              "defaults": {"inProgressIntervalSeconds": 1, "jitter": 0},
              "pools": [
                {"id": "\(Self.pool)", "name": "orders", "profile": "watcher"},
                {"id": "\(other)", "name": "audit", "roleArn": "arn:aws:iam::999999999999:role/not-allowed"},
                {"id": "\(third)", "name": "eu", "roleArn": "arn:aws:iam::123456789012:role/reader"}
              ]
            }
            """, to: "config.json")
        let daemon = try Watcher.start(["run", "--config", config, "--log-target", "stderr"], home: scratch.url, environment: try environment(service))
        let seen = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || (output.stderr.contains("(orders) IN_PROGRESS") && output.stderr.contains("(eu) IN_PROGRESS")
                && output.stderr.contains("(audit): Cannot poll"))
        }
        #expect(seen?.isComplete == false, "\(daemon.output)")
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        let audit = output.stderrLines.filter { $0.contains("(audit): Cannot poll") }
        #expect(audit.count == 1, "\(output)")
        #expect(audit.first?.contains("STS refused AssumeRole of arn:aws:iam::999999999999:role/not-allowed: AccessDenied") == true, "\(output)")
        let keys = Dictionary(grouping: service.simulator.requestLog.recent.filter { $0.path != "/" }, by: { $0.pool ?? "" })
            .mapValues { Set($0.compactMap(\.accessKeyId)) }
        #expect(keys[Self.pool.rawValue]?.count == 1 && keys[third.rawValue]?.count == 1, "\(keys)")
        #expect(keys[Self.pool.rawValue] != keys[third.rawValue], "each identity its own credentials: \(keys)")
        #expect(keys[other.rawValue] == nil, "the refused identity's pool never reached the service")
    }
}
