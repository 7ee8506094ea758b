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

/// `daemon-status` against a daemon run as a process: what it shows while the daemon runs (a
/// FAILED run, a poll error, the next poll), after a clean stop, after a `kill -9`, and with no
/// daemon at all; and that it never calls AWS.
struct DaemonStatusCommandTests {
    private static let failing = TestPool.id(461)
    private static let refused = TestPool.id(462, region: "eu-west-1")

    @Test func showsWhatTheRunningDaemonSawAndWhenItStopped() async throws {
        let scratch = try ScratchDirectory()
        let service = try await SimulatedService.start(
            [
                TestPool.scripted(Self.failing, name: "orders", [(0, .inProgress), (1, .failed)], failureMessage: "stream gone"),
                TestPool.scripted(Self.refused, name: "audit", [(-100, .succeeded)]),
            ],
            faults: [FaultRule(.notAuthorized, pool: Self.refused)])
        defer { Task { await service.shutdown() } }
        let runtime = scratch.url.appendingPathComponent("run")
        let config = try Self.configuration(in: scratch, endpoint: service.endpoint, runtime: runtime)
        let daemon = try Watcher.start(["run", "--config", config, "--log-target", "stderr"], home: scratch.url, environment: Watcher.demoKeys)
        let started = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("(orders) IN_PROGRESS: ") }
        #expect(started?.isComplete == false, "\(daemon.output)")
        service.advance(to: 1)
        let failed = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("(orders) IN_PROGRESS -> FAILED") }
        #expect(failed?.isComplete == false, "\(daemon.output)")

        // The view follows the change within about a second; look until it shows it.
        let requestsBefore = service.simulator.requestLog.recent.count
        let shown = try await Self.statusUntil(["--config", config], home: scratch.url) { $0.stdout.contains(" FAILED ") }
        let text = try #require(shown, "daemon-status never showed FAILED; daemon: \(daemon.output)")
        #expect(text.status == 0, "\(text)")
        let lines = text.stdoutLines
        #expect(lines.first?.hasPrefix("The daemon is running (pid \(daemon.pid), version ") == true, "\(text)")
        let orders = try #require(lines.first { $0.hasPrefix(Self.failing.rawValue) }, "\(text)")
        #expect(orders.contains(" orders ") && orders.contains(" FAILED ") && orders.contains(service.time(0)), "\(orders)")
        #expect((orders.contains(" ago ") || orders.contains(" just now ")) && orders.contains(" -  ") && orders.hasSuffix("  stream gone"),
                "a last poll, no error, the run's failure message: \(orders)")
        #expect(orders.firstMatch(of: /\s(in [0-9]+s|due now|polling now)\s/) != nil, "a next poll: \(orders)")
        let audit = try #require(lines.first { $0.hasPrefix(Self.refused.rawValue) }, "\(text)")
        #expect(audit.contains(" audit ") && audit.contains(" UNKNOWN ") && audit.contains(" never "), "\(audit)")
        #expect(audit.contains("NotAuthorizedException: "), "the last error: \(audit)")

        let json = try await Watcher.run(["daemon-status", "--json", "--runtime-directory", runtime.path], home: scratch.url)
        #expect(json.status == 0, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json)")
        let daemonObject = try #require(object["daemon"] as? [String: Any])
        #expect(daemonObject["status"] as? String == "running")
        #expect(daemonObject["pid"] as? Int == Int(daemon.pid))
        let pools = try #require(object["pools"] as? [[String: Any]])
        #expect(pools.map { $0["id"] as? String } == [Self.failing.rawValue, Self.refused.rawValue], "the configuration's order")
        #expect(pools[0]["status"] as? String == "FAILED")
        #expect(pools[0]["runCompleteTime"] as? String == service.time(1))
        #expect(pools[0]["runFailureMessage"] as? String == "stream gone")
        #expect(pools[1]["runFailureMessage"] is NSNull)
        #expect(pools[0]["nextPoll"] is String || pools[0]["polling"] as? Bool == true, "\(pools[0])")
        #expect((pools[1]["lastError"] as? [String: Any])?["code"] as? String == "NotAuthorizedException", "\(pools[1])")
        #expect(service.simulator.requestLog.recent.count - requestsBefore < 60, "daemon-status called AWS: only the daemon's polls may come")

        let file = runtime.appendingPathComponent("status.json")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o640, "readable by the group: \(String(mode ?? 0, radix: 8))")
        #expect(!(try String(contentsOf: file, encoding: .utf8)).contains(ScenarioCredential.demo.secretAccessKey))

        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        let stopped = try await Watcher.run(["daemon-status", "--runtime-directory", runtime.path], home: scratch.url)
        #expect(stopped.status == 6, "\(stopped)")
        #expect(stopped.stdout.hasPrefix("The daemon is not running: it stopped at "), "\(stopped)")
        #expect(stopped.stdout.contains(" FAILED "), "what it saw last: \(stopped)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: runtime.path) == ["status.json"], "no temporary file left")
    }

    @Test func aDaemonKilledWithoutAWordIsNotTakenForRunning() async throws {
        let scratch = try ScratchDirectory()
        let service = try await SimulatedService.start([TestPool.scripted(Self.failing, name: "orders", [(0, .notStarted)])])
        defer { Task { await service.shutdown() } }
        let runtime = scratch.url.appendingPathComponent("run")
        let config = try Self.configuration(in: scratch, endpoint: service.endpoint, runtime: runtime)
        let daemon = try Watcher.start(["run", "--config", config, "--log-target", "stderr"], home: scratch.url, environment: Watcher.demoKeys)
        let running = try await Self.statusUntil(["--runtime-directory", runtime.path], home: scratch.url) { $0.status == 0 }
        #expect(running != nil, "daemon-status never saw the daemon running: \(daemon.output)")
        daemon.send(SIGKILL)
        let killed = await daemon.finish(timeout: .seconds(15))
        #expect(killed.status == 128 + SIGKILL)

        let gone = try await Watcher.run(["daemon-status", "--runtime-directory", runtime.path], home: scratch.url)
        #expect(gone.status == 6, "\(gone)")
        #expect(gone.stdout.hasPrefix("The daemon is not running: its process (pid \(daemon.pid)) no longer exists, and it did not stop cleanly."),
                "\(gone)")
        let json = try await Watcher.run(["daemon-status", "--json", "--runtime-directory", runtime.path], home: scratch.url)
        #expect(json.status == 6)
        #expect(json.stdout.contains(#""status" : "gone""#), "\(json)")
    }

    @Test func withNoDaemonItSaysWhereItLooked() async throws {
        let scratch = try ScratchDirectory()
        let empty = scratch.url.appendingPathComponent("nothing-here")
        let output = try await Watcher.run(["daemon-status", "--runtime-directory", empty.path], home: scratch.url)
        #expect(output.status == 6, "\(output)")
        #expect(output.stdout == "The daemon is not running: there is no status file at \(empty.path)/status.json. "
            + "(Under systemd: systemctl status cognito-sync-watcher.)\n", "\(output)")

        // Without --runtime-directory: the unit's folder, then where the configuration's daemon writes.
        let config = try scratch.write(#"{"stateDirectory": "\#(scratch.url.path)/state", "pools": ["\#(Self.failing)"]}"#, to: "config.json")
        let searched = try await Watcher.run(["daemon-status", "--config", config], home: scratch.url)
        #expect(searched.status == 6, "\(searched)")
        #expect(searched.stdout.contains("there is no status file at /run/cognito-sync-watcher/status.json, nor at \(scratch.url.path)/state/status.json"),
                "\(searched)")

        let broken = try scratch.write("{\"format\": 1", to: "broken/status.json")
        let unusable = try await Watcher.run(["daemon-status", "--runtime-directory", scratch.url.appendingPathComponent("broken").path], home: scratch.url)
        #expect(unusable.status == 6, "\(unusable)")
        #expect(unusable.stderr == "error: \(broken) cannot be used: it is not JSON (cut short, or not written by the daemon)\n", "\(unusable)")
    }

    // MARK: - Helpers

    private static func configuration(in scratch: ScratchDirectory, endpoint: String, runtime: URL) throws -> String {
        try scratch.write("""
            {
              "aws": {"endpoint": "\(endpoint)"},
              "stateDirectory": "\(scratch.url.appendingPathComponent("state").path)",
              "runtimeDirectory": "\(runtime.path)",
              "defaults": {"inProgressIntervalSeconds": 1, "idleIntervalSeconds": 1, "finishedIntervalSeconds": 1, "jitter": 0,
                           "errorBackoffBaseSeconds": 1, "errorBackoffMaxSeconds": 1},
              "pools": [{"id": "\(failing)", "name": "orders"}, {"id": "\(refused)", "name": "audit"}]
            }
            """, to: "config.json")
    }

    /// Runs `daemon-status` every 200 ms (up to 20 s) until `condition` holds; the output that met it.
    private static func statusUntil(
        _ arguments: [String], home: URL, condition: @escaping (ChildProcess.Output) -> Bool
    ) async throws -> ChildProcess.Output? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let output = try await Watcher.run(["daemon-status"] + arguments, home: home)
            if condition(output) { return output }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}
