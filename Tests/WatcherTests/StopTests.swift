#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Model
import ProcessSupport
import Testing

/// SIGTERM while a poll waits for a `credential_process` that never ends: the daemon still stops
/// in order, inside the time the unit gives it, and takes the helper with it.
struct StopTests {
    /// The unit's `TimeoutStopSec=`: past it, systemd would kill the daemon and call the stop failed.
    private static let unitStopTimeout: Duration = {
        let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/systemd/cognito-sync-watcher.service")
        let text = (try? String(contentsOf: unit, encoding: .utf8)) ?? ""
        let value = text.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") }?.dropFirst("TimeoutStopSec=".count)
        // Unreadable: zero fails the test below with the reason.
        return value.flatMap { Int64($0.hasSuffix("s") ? $0.dropLast() : $0) }.map { .seconds($0) } ?? .zero
    }()

    @Test func aStopWhileACredentialHelperHangsEndsInTimeAndKillsIt() async throws {
        try #require(Self.unitStopTimeout > .zero, "TimeoutStopSec= not found in the unit")
        let scratch = try ScratchDirectory()
        let pool = TestPool.id(421)
        let service = try await SimulatedService.start([TestPool.scripted(pool, name: "hung", [(0, .inProgress)])])
        defer { Task { await service.shutdown() } }
        let notify = try NotifySocket()
        let started = try StartSignal(path: scratch.url.appendingPathComponent("started").path)
        // The helper starts a child and waits for it for ever.
        let helper = scratch.url.appendingPathComponent("hanging-helper").path
        try ExecutableScript.write(started.hangingHelperScript, to: helper)
        let awsConfig = try scratch.write("[profile hanging]\ncredential_process = \(helper)\n", to: "aws-config")
        let config = try scratch.write("""
            {"aws": {"endpoint": "\(service.endpoint)", "profile": "hanging"},
             "stateDirectory": "\(scratch.url.appendingPathComponent("state").path)",
             "pools": [{"id": "\(pool)", "name": "hung"}]}
            """, to: "config.json")

        let daemon = try Watcher.start(
            ["run", "--config", config, "--log-target", "stderr"], home: scratch.url,
            environment: ["NOTIFY_SOCKET": notify.path, "AWS_CONFIG_FILE": awsConfig])
        let ready = await notify.receive(untilLine: "READY=1", timeout: .seconds(60))
        try #require(ready != nil, "no READY=1: \(daemon.output)")
        let pids = try #require(await started.helperPIDs(timeout: .seconds(60)), "the helper did not start: \(daemon.output)")

        let stopAsked = ContinuousClock.now
        daemon.send(SIGTERM)
        // Killed at the unit's timeout, as systemd would: a daemon that needed longer fails here.
        let output = await daemon.finish(timeout: Self.unitStopTimeout)
        let stopTook = stopAsked.duration(to: .now)

        #expect(output.isComplete && output.status == 0, "\(output)")
        #expect(stopTook < Self.unitStopTimeout, "the stop took \(stopTook), the unit allows \(Self.unitStopTimeout)")
        #expect(await notify.receive(untilLine: "STOPPING=1", timeout: .seconds(5)) != nil, "no STOPPING=1")
        #expect(output.stderr.contains("stopped"), "\(output)")
        #expect(!output.stderr.contains("within the time a stop may take"), "a step of the stop had to be abandoned: \(output)")
        // The helper and its child died with the stop, not with the daemon's exit.
        #expect(await started.waitForAllWritersToExit(timeout: .seconds(10)), "the helper or its child still runs")
        for pid in pids {
            #expect(await ProcessEnd.wait(for: pid, timeout: .seconds(10)), "process \(pid) of the helper still runs")
            #expect(ProcessEnd.hasEnded(pid), "process \(pid) of the helper still runs")
        }
    }
}
