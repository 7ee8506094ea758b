#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Model
import ProcessSupport
import Simulator
import Testing

/// The daemon against the simulator with a hook on FAILED: the hook (a script recording each
/// run into a folder) gets the event exactly once, with its variables and JSON; and a hook still
/// running when the daemon is killed with SIGKILL runs again after the restart, and succeeds.
struct HookDeliveryTests {
    private static let message = "Unable to write to Kinesis stream 'orders': access denied."

    /// What the test sets up: the simulator, a hook script, its record folder, the configuration.
    private struct Rig {
        let scratch: ScratchDirectory
        let service: SimulatedService
        let pool = TestPool.id(501)
        let config: String
        let runs: URL
        let state: URL
        /// While this file exists, the hook blocks (a `sleep` in its place) instead of finishing.
        let block: URL

        init() async throws {
            scratch = try ScratchDirectory()
            service = try await SimulatedService.start([
                TestPool.scripted(pool, name: "hooked", [(0, .inProgress), (2, .failed)], failureMessage: HookDeliveryTests.message),
            ])
            runs = scratch.url.appendingPathComponent("runs", isDirectory: true)
            try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
            state = scratch.url.appendingPathComponent("state")
            block = scratch.url.appendingPathComponent("block")
            // Each run writes its variables, whether it saw the AWS secret, and its stdin to a file
            // of its own (named after its pid, which is also its process group).
            let hook = scratch.url.appendingPathComponent("hook.sh").path
            try ExecutableScript.write(#"""
                #!/bin/sh
                record="$1/run-$$"
                {
                    env | grep '^CSW_' | sort
                    if [ -n "${AWS_SECRET_ACCESS_KEY:-}" ]; then echo "secret: visible"; else echo "secret: withheld"; fi
                    printf 'stdin:'
                    cat
                } > "$record.tmp"
                mv "$record.tmp" "$record"
                if [ -e "$2" ]; then exec sleep 600; fi
                echo "hook saw $CSW_EVENT"
                """# + "\n", to: hook)
            hooks = #"{"failed": ["\#(hook)", "\#(runs.path)", "\#(block.path)"], "timeoutSeconds": 120}"#
            config = scratch.url.appendingPathComponent("config.json").path
            try writeConfig(hooks: hooks)
        }

        /// The hook script's `hooks` section.
        let hooks: String

        /// Writes the configuration with `hooks` as its hooks section.
        func writeConfig(hooks: String) throws {
            try scratch.write("""
                {
                  "aws": {"endpoint": "\(service.endpoint)"},
                  "stateDirectory": "\(state.path)",
                  "defaults": {"inProgressIntervalSeconds": 1, "idleIntervalSeconds": 1, "finishedIntervalSeconds": 1, "jitter": 0},
                  "pools": [{"id": "\(pool)", "name": "hooked"}],
                  "hooks": \(hooks)
                }
                """, to: "config.json")
        }

        func startDaemon() throws -> ChildProcess {
            try Watcher.start(["run", "--config", config, "--log-target", "stderr"], home: scratch.url, environment: Watcher.demoKeys)
        }

        /// The runs recorded so far, oldest first.
        func recordedRuns() -> [(pid: Int32, text: String)] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
            return names.filter { $0.hasPrefix("run-") && !$0.hasSuffix(".tmp") }.compactMap { name in
                guard let pid = Int32(name.dropFirst("run-".count)),
                      let text = try? String(contentsOf: runs.appendingPathComponent(name), encoding: .utf8) else { return nil }
                return (pid, text)
            }.sorted { $0.pid < $1.pid }
        }

        /// Waits until `count` runs are recorded, or 30 seconds pass.
        func waitForRuns(_ count: Int) async -> Bool {
            await eventually(within: .seconds(30), checkingEvery: .milliseconds(50)) { recordedRuns().count >= count }
        }

        var spooled: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("hooks").path)) ?? [])
                .filter { !$0.hasPrefix(".") }
        }

        /// Runs the scenario until the daemon reported the failure.
        func failThePool(_ daemon: ChildProcess) async {
            let polling = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("(hooked) IN_PROGRESS: ") }
            #expect(polling?.isComplete == false, "\(daemon.output)")
            service.advance(to: 2)
            let failed = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("(hooked) IN_PROGRESS -> FAILED") }
            #expect(failed?.isComplete == false, "\(daemon.output)")
        }
    }

    /// `NAME=value` lines of a recorded run, and its stdin.
    private static func parse(_ text: String) -> (variables: [String: String], secret: String, stdin: String) {
        guard let stdinStart = text.range(of: "stdin:") else { return ([:], "", "") }
        var variables: [String: String] = [:]
        var secret = ""
        for line in text[..<stdinStart.lowerBound].split(separator: "\n") {
            if line.hasPrefix("secret: ") { secret = String(line.dropFirst("secret: ".count)) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return (variables, secret, String(text[stdinStart.upperBound...]))
    }

    @Test func aFailedEventReachesItsHookOnceWithTheEventInVariablesAndJSON() async throws {
        let rig = try await Rig()
        let service = rig.service
        defer { Task { await service.shutdown() } }
        let daemon = try rig.startDaemon()
        await rig.failThePool(daemon)
        #expect(await rig.waitForRuns(1), "the hook did not run: \(daemon.output)")
        let ran = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("hook ran") }
        #expect(ran?.isComplete == false, "\(daemon.output)")
        // A few more polls of the finished pool: none may run the hook again.
        let pool = rig.pool
        let pollsBefore = service.answers(200, for: pool)
        #expect(await eventually(within: .seconds(20), checkingEvery: .milliseconds(50)) { service.answers(200, for: pool) >= pollsBefore + 3 })
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")

        let runs = rig.recordedRuns()
        #expect(runs.count == 1, "the hook ran \(runs.count) times: \(output)")
        let run = Self.parse(try #require(runs.first).text)
        let start = rig.service.time(0)
        #expect(run.variables["CSW_EVENT"] == "failed")
        #expect(run.variables["CSW_POOL_ID"] == rig.pool.rawValue)
        #expect(run.variables["CSW_POOL_NAME"] == "hooked")
        #expect(run.variables["CSW_STATUS"] == "FAILED")
        #expect(run.variables["CSW_PREVIOUS_STATUS"] == "IN_PROGRESS")
        #expect(run.variables["CSW_FAILURE_MESSAGE"] == Self.message)
        #expect(run.variables["CSW_BULK_PUBLISH_START_TIME"] == start)
        #expect(run.variables["CSW_BULK_PUBLISH_COMPLETE_TIME"] == rig.service.time(2))
        #expect(run.variables["CSW_EVENT_ID"]?.hasPrefix("\(rig.pool)/") == true)
        #expect(run.secret == "withheld", "the daemon's AWS secret reached the hook")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdin.utf8)) as? [String: Any], "stdin: \(run.stdin)")
        #expect(json["event"] as? String == "failed")
        #expect(json["poolId"] as? String == rig.pool.rawValue)
        #expect(json["poolName"] as? String == "hooked")
        #expect(json["status"] as? String == "FAILED")
        #expect(json["failureMessage"] as? String == Self.message)
        #expect(json["bulkPublishStartTime"] as? String == start)
        #expect(json["eventId"] as? String == run.variables["CSW_EVENT_ID"])
        #expect((json["message"] as? String)?.hasSuffix(": \(Self.message)") == true)

        // The hook's output is in the daemon's log; the spool is empty.
        #expect(output.stderr.contains("hook saw failed"), "\(output)")
        #expect(rig.spooled.isEmpty)
    }

    @Test func aHookKilledWithTheDaemonRunsAgainAfterTheRestart() async throws {
        let rig = try await Rig()
        let service = rig.service
        defer { Task { await service.shutdown() } }
        try Data().write(to: rig.block)
        let first = try rig.startDaemon()
        await rig.failThePool(first)
        #expect(await rig.waitForRuns(1), "the hook did not run: \(first.output)")
        // The hook is running (blocked); the daemon dies without a chance to clean up.
        first.send(SIGKILL)
        let killed = await first.finish(timeout: .seconds(15))
        #expect(killed.status == 128 + SIGKILL, "\(killed)")
        #expect(!killed.stderr.contains("hook ran"))
        // systemd would kill the hook with the service's cgroup; here its process group is killed.
        let blocked = try #require(rig.recordedRuns().first)
        kill(-blocked.pid, SIGKILL)
        #expect(rig.spooled.count == 1, "the event is still waiting for its hook")

        try FileManager.default.removeItem(at: rig.block)
        let second = try rig.startDaemon()
        #expect(await rig.waitForRuns(2), "the hook did not run again after the restart: \(second.output)")
        let ran = await second.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("hook ran") }
        #expect(ran?.isComplete == false, "\(second.output)")
        second.send(SIGTERM)
        let output = await second.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        #expect(output.stderr.contains("running the hooks left waiting by the previous run"), "\(output)")

        let runs = rig.recordedRuns()
        #expect(runs.count == 2, "\(output)")
        let (before, after) = (Self.parse(runs[0].text), Self.parse(runs.last?.text ?? ""))
        #expect(before.variables["CSW_EVENT"] == "failed")
        #expect(after.variables == before.variables, "the same event, told the same way")
        #expect(after.stdin == before.stdin)
        #expect(rig.spooled.isEmpty, "delivered: nothing left waiting")
    }

    @Test func aReloadRefusesABadHooksSectionAndAppliesAGoodOne() async throws {
        let rig = try await Rig()
        let service = rig.service
        defer { Task { await service.shutdown() } }
        try rig.writeConfig(hooks: "{}")
        let daemon = try rig.startDaemon()
        let polling = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("(hooked) IN_PROGRESS: ") }
        #expect(polling?.isComplete == false, "\(daemon.output)")

        try rig.writeConfig(hooks: #"{"failed": "/usr/local/bin/page-oncall --team data"}"#)
        daemon.send(SIGHUP)
        let refused = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("reload failed") }
        #expect(refused?.stderr.contains("hooks.failed: must be an array of strings") == true, "\(daemon.output)")

        try rig.writeConfig(hooks: rig.hooks)
        daemon.send(SIGHUP)
        let applied = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || $0.stderr.contains("hooks changed") }
        #expect(applied?.isComplete == false, "\(daemon.output)")
        rig.service.advance(to: 2)
        #expect(await rig.waitForRuns(1), "the hook added by the reload did not run: \(daemon.output)")
        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")
        #expect(rig.recordedRuns().count == 1)
    }
}
