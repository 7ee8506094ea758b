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
    /// runs `rest`; returns how it ended and the pid of the sleep, nil if the hook was stopped
    /// before it wrote it.
    private func runWithBackgroundChild(then rest: String, timeout: Duration) async throws -> (HookRunResult, child: Int32?) {
        let directory = try ScratchDirectory()
        let pidFile = directory.url.appendingPathComponent("child.pid").path
        // Written aside and renamed: a kill between the truncation and the write leaves no file
        // rather than an empty one.
        let command = try script("sleep 600 &\necho $! > '\(pidFile).new' && mv '\(pidFile).new' '\(pidFile)'\n\(rest)", in: directory)
        let result = await ProcessHookLauncher().run(command, environment: [:], inputPath: try input("{}", in: directory), timeout: timeout)
        let child = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (result, child)
    }

    @Test func aHookPastItsTimeoutIsKilledWithWhatItStarted() async throws {
        // The premise is that the shell starts its child before the kill; an attempt in which a
        // busy machine lost that race is made again with a longer timeout.
        let judged = try await withGrowingBudget(from: .seconds(1)) { timeout in
            let (result, child) = try await runWithBackgroundChild(then: "wait", timeout: timeout)
            #expect(result == .timedOut)
            guard let child else { return false }
            #expect(await Self.ends(child, within: .seconds(10)), "the hook's child (sleep, pid \(child)) outlived the timeout")
            return true
        }
        #expect(judged, "the hook never started its child within its timeout, though the last attempt gave it 32 s")
    }

    @Test func aHookThatLeavesABackgroundProcessIsDoneWhenItExits() async throws {
        let (result, child) = try await runWithBackgroundChild(then: "echo started", timeout: .seconds(30))
        if let child { kill(child, SIGKILL) }
        #expect(child != nil, "the hook did not write its child's pid")
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
