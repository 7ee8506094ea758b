#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Model
import Simulator
import Testing
import ProcessSupport

/// The daemon run as a process against the simulator: three pools walk through success, failure
/// and a stall; what is reported on stderr and what the state files hold are checked.
struct RunCommandTests {
    private static let succeeding = TestPool.id(401)
    private static let failing = TestPool.id(402)
    private static let stalling = TestPool.id(403, region: "eu-west-1")
    private static let message = "Unable to write to Kinesis stream 'orders': access denied."

    @Test func theDaemonReportsEachMilestoneOnceAndPersistsIt() async throws {
        let scratch = try ScratchDirectory()
        let service = try await SimulatedService.start([
            TestPool.scripted(Self.succeeding, name: "success", [(0, .inProgress), (1.5, .succeeded)]),
            TestPool.scripted(Self.failing, name: "failure", [(0, .inProgress), (2, .failed)], failureMessage: Self.message),
            // Running for a minute already: past its pool's 30 s stall limit at the first poll, so
            // the stall does not depend on how fast this machine runs the test.
            TestPool.scripted(Self.stalling, name: "stall", [(-60, .inProgress)]),
        ])
        defer { Task { await service.shutdown() } }
        let state = scratch.url.appendingPathComponent("state")
        let config = try scratch.write("""
            {
              "aws": {"endpoint": "\(service.endpoint)"},
              "stateDirectory": "\(state.path)",
              "limits": {"maxRequestsPerSecond": 50, "requestTimeoutSeconds": 5},
              "defaults": {
                "inProgressIntervalSeconds": 1, "idleIntervalSeconds": 1, "finishedIntervalSeconds": 1,
                "jitter": 0, "errorBackoffBaseSeconds": 1, "errorBackoffMaxSeconds": 2
              },
              "pools": [
                {"id": "\(Self.succeeding)", "name": "success"},
                {"id": "\(Self.failing)", "name": "failure"},
                {"id": "\(Self.stalling)", "name": "stall", "stallAfterSeconds": 30}
              ]
            }
            """, to: "config.json")

        let daemon = try Watcher.start(["run", "--config", config, "--log-target", "stderr"], home: scratch.url, environment: Watcher.demoKeys)
        // The next step of the scenario only once the daemon has reported the first one.
        let started = ["(success) IN_PROGRESS: ", "(failure) IN_PROGRESS: ", "(stall) IN_PROGRESS: ", "longer than its stall limit"]
        let first = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || started.allSatisfy { output.stderr.contains($0) }
        }
        #expect(first?.isComplete == false, "the daemon ended early or missed a start: \(daemon.output)")
        service.advance(to: 2)
        let finished = ["(success) IN_PROGRESS -> SUCCEEDED", "(failure) IN_PROGRESS -> FAILED"]
        let reported = await daemon.wait(timeout: .seconds(20)) { output in
            output.isComplete || finished.allSatisfy { output.stderr.contains($0) }
        }
        #expect(reported?.isComplete == false, "the daemon ended early or missed an outcome: \(daemon.output)")
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")

        // One line per event, each exactly once.
        let events = output.stderrLines.filter { $0.contains(": Bulk publish of pool ") }
        func lines(_ pool: String, _ text: String) -> [String] {
            events.filter { $0.contains("(\(pool))") && $0.contains(text) }
        }
        #expect(lines("success", "IN_PROGRESS: ").count == 1, "\(output)")
        #expect(lines("failure", "IN_PROGRESS: ").count == 1, "\(output)")
        #expect(lines("stall", "IN_PROGRESS: ").count == 2, "started, then stalled: \(output)")
        #expect(lines("success", "IN_PROGRESS -> SUCCEEDED").count == 1, "\(output)")
        let failed = lines("failure", "IN_PROGRESS -> FAILED")
        #expect(failed.count == 1, "\(output)")
        #expect(failed.first?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ err "#, options: .regularExpression) != nil, "\(output)")
        #expect(failed.first?.contains(" err \(Self.failing) (failure) ") == true, "\(output)")
        #expect(failed.first?.hasSuffix(": \(Self.message)") == true, "\(output)")
        #expect(lines("stall", "longer than its stall limit").count == 1, "\(output)")
        #expect(lines("stall", " warning ").count == 1, "\(output)")
        #expect(lines("stall", "has been IN_PROGRESS for 1m").count == 1, "\(output)")
        #expect(Set(events).count == events.count, "an event was reported twice: \(output)")
        #expect(events.count == 6, "started ×3, succeeded, failed, stalled: \(output)")

        // The state files: one JSON document per pool, with what was reported.
        let saved = try [Self.succeeding, Self.failing, Self.stalling].map { pool -> PoolState in
            let file = state.appendingPathComponent("pools/\(pool.rawValue).json")
            let data = try Data(contentsOf: file)
            let raw = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(raw["version"] as? Int == PoolState.currentVersion)
            return try JSONDecoder().decode(PoolState.self, from: data)
        }
        #expect(saved[0].lastStatus == .succeeded)
        #expect(saved[0].run?.reported == [.started, .finished(.succeeded)])
        #expect(saved[1].lastStatus == .failed)
        #expect(saved[1].run?.reported == [.started, .finished(.failed)])
        let failureStart = try #require(saved[1].run?.startTime)
        #expect(abs(failureStart.timeIntervalSince(service.startDate)) < 0.001)
        #expect(saved[2].lastStatus == .inProgress)
        #expect(saved[2].run?.reported == [.started, .stalled])
        #expect(saved.allSatisfy { $0.failure == nil })
    }

    /// `--baseline` on a first start: a run that ended before the watcher knew the pool is
    /// saved as reported and never reported; without the flag the same start reports it.
    @Test(arguments: [true, false])
    func aBaselineStartDoesNotReportOldOutcomes(_ baseline: Bool) async throws {
        let scratch = try ScratchDirectory()
        let pool = TestPool.id(411)
        let service = try await SimulatedService.start([TestPool.scripted(pool, name: "old", [(-7200, .inProgress), (-3600, .failed)], failureMessage: "long ago")])
        defer { Task { await service.shutdown() } }
        let state = scratch.url.appendingPathComponent("state")
        let config = try scratch.write("""
            {"aws": {"endpoint": "\(service.endpoint)"}, "stateDirectory": "\(state.path)",
             "pools": [{"id": "\(pool)", "name": "old"}]}
            """, to: "config.json")
        let daemon = try Watcher.start(["run", "--config", config, "--log-target", "stderr"] + (baseline ? ["--baseline"] : []),
                                       home: scratch.url, environment: Watcher.demoKeys)
        let file = state.appendingPathComponent("pools/\(pool.rawValue).json")
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: file.path), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        let saved = try JSONDecoder().decode(PoolState.self, from: Data(contentsOf: file))
        #expect(saved.lastStatus == .failed)
        #expect(saved.run?.reported.contains(.finished(.failed)) == true)
        let reported = output.stderrLines.filter { $0.contains("(old) ") && $0.contains("FAILED") }
        #expect(reported.count == (baseline ? 0 : 1), "\(output)")
    }

    /// Temporary keys from a shared credentials file that others can read, every log line down
    /// to trace, rejected and expired tokens, a reload: the secret and the session token appear
    /// nowhere, not in stderr and not in the state files, and the open file is warned about.
    @Test func noSecretReachesTheLogOrTheState() async throws {
        let secret = "Zm9yLXRlc3RzLW9ubHk/K7MDENG+bPxRfiCYSECRET"
        let token = "IQoJb3JpZ2luX2VjEAZ3ZXN0LXRlc3QtdG9rZW4TOKEN"
        let pool = TestPool.id(404)
        let scratch = try ScratchDirectory()
        let service = try await SimulatedService.start(
            [TestPool.scripted(pool, name: "secrets", [(0, .inProgress), (2, .failed)], failureMessage: "denied")],
            faults: [
                FaultRule(.expiredToken, count: 2), FaultRule(.notAuthorized, count: 1),
                FaultRule(.malformed, count: 1), FaultRule(.html, count: 1),
            ],
            credentials: [ScenarioCredential(accessKeyID: "ASIATESTSECRETS00000", secretAccessKey: secret, sessionToken: token)])
        defer { Task { await service.shutdown() } }
        let credentials = try scratch.write("""
            [default]
            aws_access_key_id = ASIATESTSECRETS00000
            aws_secret_access_key = \(secret)
            aws_session_token = \(token)
            """, to: "aws-credentials")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: credentials)
        let state = scratch.url.appendingPathComponent("state")
        let config = try scratch.write("""
            {
              "aws": {"endpoint": "\(service.endpoint)"},
              "stateDirectory": "\(state.path)",
              "defaults": {"inProgressIntervalSeconds": 1, "idleIntervalSeconds": 1, "jitter": 0, "errorBackoffBaseSeconds": 1, "errorBackoffMaxSeconds": 1, "reportErrorsAfter": 1},
              "pools": [{"id": "\(pool)", "name": "secrets"}]
            }
            """, to: "config.json")

        let daemon = try Watcher.start(
            ["run", "--config", config, "--log-target", "stderr", "--log-level", "trace"], home: scratch.url,
            // A config file that cannot be read (its first read fails, for root too) is skipped with
            // a warning, as botocore skips it, and the credentials file still answers.
            environment: ["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": "/proc/self/mem"])
        let polling = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("(secrets) IN_PROGRESS: ") }
        #expect(polling?.isComplete == false, "\(daemon.output)")
        daemon.send(SIGHUP)
        service.advance(to: 2)
        let failed = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("(secrets) IN_PROGRESS -> FAILED") }
        #expect(failed?.isComplete == false, "\(daemon.output)")
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0)

        #expect(output.stderr.contains("is open to every user on this machine (mode 644); make it private: chmod 600 \(credentials)"))
        #expect(output.stderr.components(separatedBy: "/proc/self/mem cannot be read: Input/output error; it is skipped").count == 2,
                "the unreadable config file is named once: \(output.stderr)")
        #expect(service.answers(403, for: pool) >= 3, "the rejected-token paths ran")
        #expect(!output.stderr.contains(secret) && !output.stderr.contains(token), "a secret in stderr")
        #expect(!output.stdout.contains(secret) && !output.stdout.contains(token), "a secret in stdout")
        let files = FileManager.default.enumerator(at: state, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        #expect(!files.isEmpty)
        for file in files where !file.hasDirectoryPath {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            #expect(!text.contains(secret) && !text.contains(token), "a secret in \(file.lastPathComponent)")
        }
    }
}
