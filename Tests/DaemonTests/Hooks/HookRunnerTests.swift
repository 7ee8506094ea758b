import DaemonTestSupport
import Daemon
import Foundation
import Logging
import Model
import Testing
import ProcessSupport

/// The runner: runs each spooled event's hook, retries with the schedule's waits (no real time:
/// the sleep is injected), removes the entry only when done, and leaves it for the next start
/// when stopped.
struct HookRunnerTests {
    private struct Rig {
        let state: ScratchDirectory
        let spool: FileHookSpool
        let settings: CurrentHookSettings
        let launcher: ScriptedLauncher
        let sleep = RecordingSleep()
        let log = RecordingLogHandler()

        init(_ results: [HookRunResult], holding: Bool = false, settings: HookSettings? = nil) throws {
            state = try ScratchDirectory()
            spool = try FileHookSpool(stateDirectory: state.url)
            self.settings = CurrentHookSettings(settings ?? HookSettings(
                commands: [.failed: HookFixture.failedCommand, .stalled: HookFixture.failedCommand], timeout: .seconds(5), attempts: 3))
            launcher = ScriptedLauncher(results, holding: holding)
        }

        func runner(environment: [String: String] = ["PATH": "/usr/bin:/bin", "AWS_SECRET_ACCESS_KEY": "secret"]) -> HookRunner {
            HookRunner(spool: spool, launcher: launcher, settings: settings, environment: environment, sleep: sleep.sleep, logger: log.logger)
        }

        func spoolEvent(_ event: WatchEvent = HookFixture.event()) throws -> SpooledHook {
            try spool.add(HookPayload(event))
        }
    }

    @Test func aHookThatSucceedsRunsOnceWithTheEventAndLeavesTheSpool() async throws {
        let rig = try Rig([.exited(status: 0, output: "posted\n")])
        let hook = try rig.spoolEvent()
        let runner = rig.runner()
        await runner.enqueue([hook])
        await runner.enqueue([hook])
        await runner.idle()

        let calls = rig.launcher.calls
        #expect(calls.count == 1, "queued twice while waiting: run once")
        let call = try #require(calls.first)
        #expect(call.command == HookFixture.failedCommand)
        #expect(call.timeout == .seconds(5))
        #expect(call.environment["CSW_EVENT"] == "failed")
        #expect(call.environment["CSW_POOL_ID"] == HookFixture.pool(1).rawValue)
        #expect(call.environment["PATH"] == "/usr/bin:/bin")
        #expect(call.environment["AWS_SECRET_ACCESS_KEY"] == nil)
        #expect(call.input == String(decoding: try hook.payload.json(), as: UTF8.self))
        #expect(rig.spool.pending().hooks.isEmpty)
        #expect(rig.sleep.durations.isEmpty)
        let ran = try #require(rig.log.logged.first { $0.message == "hook ran" })
        #expect(ran.level == .notice)
        #expect(ran.metadata["output"] == "posted")
        #expect(ran.metadata["command"] == "/usr/local/bin/page-oncall --team data")
        #expect(ran.metadata["event_id"] == hook.payload.eventId)
    }

    @Test func aFailingHookIsRetriedAfterGrowingWaitsThenSucceeds() async throws {
        let rig = try Rig([.exited(status: 7, output: "502 Bad Gateway"), .timedOut, .exited(status: 0, output: "")],
                          settings: HookSettings(commands: [.failed: HookFixture.failedCommand], attempts: 4, retryDelay: .seconds(10), maxRetryDelay: .seconds(15)))
        let runner = rig.runner()
        await runner.enqueue([try rig.spoolEvent()])
        await runner.idle()
        #expect(rig.launcher.calls.count == 3)
        #expect(rig.sleep.durations == [.seconds(10), .seconds(15)])
        #expect(rig.spool.pending().hooks.isEmpty)
        let warnings = rig.log.logged.filter { $0.level == .warning }.map(\.message)
        #expect(warnings == [
            "hook exited with status 7; trying again in 10s",
            "hook ran longer than its 30s timeout and was killed; trying again in 15s",
        ])
        #expect(rig.log.logged.first?.metadata["output"] == "502 Bad Gateway")
        #expect(rig.log.logged.map { $0.metadata["attempt"] } == ["1/4", "2/4", "3/4"])
    }

    @Test func aHookThatKeepsFailingIsGivenUpWithAnErrorNamingItsEvent() async throws {
        let rig = try Rig([.couldNotStart])
        let runner = rig.runner()
        await runner.enqueue([try rig.spoolEvent()])
        await runner.idle()
        #expect(rig.launcher.calls.count == 3, "attempts: 3")
        #expect(rig.sleep.durations == [.seconds(10), .seconds(20)])
        #expect(rig.spool.pending().hooks.isEmpty, "given up: not run again at the next start")
        let error = try #require(rig.log.logged.last)
        #expect(error.level == .error)
        #expect(error.message == "hook for the failed event of pool \(HookFixture.pool(1)) could not be started: check that "
            + "/usr/local/bin/page-oncall exists and that the service's user may run it; giving up after 3 attempts")
        #expect(error.metadata["command"] == "/usr/local/bin/page-oncall --team data")
    }

    @Test func aStopLeavesTheEventForTheNextStartWhichRunsItAgain() async throws {
        let rig = try Rig([.exited(status: 0, output: "")], holding: true)
        let hook = try rig.spoolEvent()
        let first = rig.runner()
        await first.start()
        await rig.launcher.waitForCalls(1)
        await first.stop()
        #expect(rig.spool.pending().hooks == [hook], "killed before it succeeded: still spooled")

        rig.launcher.release()
        let second = rig.runner()
        await second.start()
        await second.idle()
        #expect(rig.launcher.calls.count == 2)
        #expect(rig.launcher.calls.map(\.input) == Array(repeating: String(decoding: try hook.payload.json(), as: UTF8.self), count: 2))
        #expect(rig.spool.pending().hooks.isEmpty)
        #expect(rig.log.logged.contains { $0.message == "running the hooks left waiting by the previous run" && $0.metadata["hooks"] == "1" })
    }

    @Test func atMostFourHooksRunAtOnce() async throws {
        let rig = try Rig([.exited(status: 0, output: "")], holding: true)
        let runner = rig.runner()
        let hooks = try (1...6).map { try rig.spoolEvent(HookFixture.event(pool: $0)) }
        await runner.enqueue(hooks)
        await rig.launcher.waitForCalls(HookRunner.maximumConcurrentRuns)
        // The other two wait for a slot: nothing else lets them start until the four end.
        #expect(rig.launcher.calls.count == HookRunner.maximumConcurrentRuns)
        rig.launcher.release()
        await runner.idle()
        #expect(rig.launcher.calls.count == 6)
        #expect(rig.launcher.mostRunning == HookRunner.maximumConcurrentRuns)
        #expect(rig.spool.pending().hooks.isEmpty)
    }

    @Test func aReloadAppliesToTheNextRunAndARemovedHookDropsItsEvents() async throws {
        let rig = try Rig([.exited(status: 1, output: ""), .exited(status: 0, output: "")])
        let other = HookCommand(executable: "/usr/local/bin/other")
        let sleep = RecordingSleep()
        let settings = rig.settings
        let runner = HookRunner(
            spool: rig.spool, launcher: rig.launcher, settings: settings, environment: [:],
            sleep: { duration in
                // The reload lands while the hook waits for its retry.
                settings.replace(with: HookSettings(commands: [.failed: other], attempts: 3))
                try await sleep.sleep(duration)
            }, logger: rig.log.logger)
        await runner.enqueue([try rig.spoolEvent()])
        await runner.idle()
        #expect(rig.launcher.calls.map(\.command) == [HookFixture.failedCommand, other])

        settings.replace(with: HookSettings())
        await runner.enqueue([try rig.spoolEvent(HookFixture.event(pool: 2))])
        await runner.idle()
        #expect(rig.launcher.calls.count == 2)
        #expect(rig.spool.pending().hooks.isEmpty)
        #expect(rig.log.logged.last?.message == "no hook is configured for this event any more; it is dropped")
    }

    @Test func outputIsLoggedOnOneLineWithoutKeys() async throws {
        let key = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12"
        let rig = try Rig([.exited(status: 0, output: "line one\nline two\u{1B}[31m token: \(key)\n")])
        let runner = rig.runner()
        await runner.enqueue([try rig.spoolEvent()])
        await runner.idle()
        let output = try #require(rig.log.logged.first?.metadata["output"])
        #expect(output == "line one line two\u{FFFD}[31m token: [redacted]")
    }
}
