#if canImport(Glibc)
import DaemonTestSupport
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Daemon
import Foundation
import Model
import ProcessSupport
import Testing

/// Real processes: what a hook gets on stdin and in its environment, how its end is reported,
/// and that a timeout kills the script and what it started.
struct ProcessHookLauncherTests {
    private func script(_ body: String, in directory: ScratchDirectory) throws -> HookCommand {
        let path = directory.url.appendingPathComponent("hook-\(UUID().uuidString)").path
        try ExecutableScript.write("#!/bin/sh\n\(body)\n", to: path)
        return HookCommand(executable: path, arguments: ["--team", "data with spaces"])
    }

    private func input(_ text: String, in directory: ScratchDirectory) throws -> String {
        let path = directory.url.appendingPathComponent("input.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theHookReadsItsInputArgumentsAndEnvironmentAndItsStatusCounts() async throws {
        let directory = try ScratchDirectory()
        let command = try script(#"""
            printf 'args:%s|%s\n' "$1" "$2"
            printf 'event:%s\n' "$CSW_EVENT"
            printf 'stdin:%s\n' "$(cat)"
            echo 'on stderr' >&2
            exit 3
            """#, in: directory)
        let result = await ProcessHookLauncher().run(
            command, environment: ["CSW_EVENT": "failed", "PATH": "/usr/bin:/bin"],
            inputPath: try input(#"{"event":"failed"}"#, in: directory), timeout: .seconds(20))
        #expect(result == .exited(status: 3, output: "args:--team|data with spaces\nevent:failed\nstdin:{\"event\":\"failed\"}\non stderr\n"))
        #expect(!result.succeeded)
    }

    /// Runs a hook that starts `sleep 600` in the background (holding the output pipe), then
    /// runs `rest`; returns how it ended and the pid of the sleep.
    private func runWithBackgroundChild(then rest: String, timeout: Duration) async throws -> (HookRunResult, child: Int32) {
        let directory = try ScratchDirectory()
        let pidFile = directory.url.appendingPathComponent("child.pid").path
        let command = try script("sleep 600 &\necho $! > '\(pidFile)'\n\(rest)", in: directory)
        let result = await ProcessHookLauncher().run(command, environment: [:], inputPath: try input("{}", in: directory), timeout: timeout)
        let child = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        return (result, child)
    }

    @Test func aHookPastItsTimeoutIsKilledWithWhatItStarted() async throws {
        // 3 s: time enough for the shell to start its child on a busy machine before the kill.
        let (result, child) = try await runWithBackgroundChild(then: "wait", timeout: .seconds(3))
        #expect(result == .timedOut)
        #expect(await Self.ends(child, within: .seconds(10)), "the hook's child (sleep, pid \(child)) outlived the timeout")
    }

    @Test func aHookThatLeavesABackgroundProcessIsDoneWhenItExits() async throws {
        let (result, child) = try await runWithBackgroundChild(then: "echo started", timeout: .seconds(30))
        kill(child, SIGKILL)
        #expect(result == .exited(status: 0, output: "started\n"))
    }

    @Test func aMissingProgramCannotStart() async throws {
        let directory = try ScratchDirectory()
        let missing = HookCommand(executable: directory.url.appendingPathComponent("missing").path)
        let result = await ProcessHookLauncher().run(missing, environment: [:], inputPath: try input("{}", in: directory), timeout: .seconds(5))
        #expect(result == .couldNotStart)
        #expect(result.summary(timeout: .seconds(5), executable: missing.executable).hasPrefix("could not be started: check that \(missing.executable) exists"))
    }

    /// Whether process `pid` is gone (or a zombie) before `deadline` passes.
    private static func ends(_ pid: Int32, within deadline: Duration) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while clock.now < end {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            // Field 3 is the state; Z is a zombie: killed, waiting for its parent (init) to reap it.
            if stat.isEmpty || stat.split(separator: " ").dropFirst(2).first == "Z" { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
