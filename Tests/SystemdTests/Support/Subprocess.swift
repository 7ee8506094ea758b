#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import ProcessSupport

/// A child process started by ``CleanSpawn``: no signal blocked, default signal actions.
struct Subprocess {
    struct Result {
        let status: Int32
        let output: String
    }

    let pid: pid_t

    /// Runs `executable` to completion, collecting stdout and stderr together; waited for on a
    /// thread of its own, not one of Swift's pool, with at most as many at once as there are cores.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Result {
        try await ChildSlots.shared.run { try runBlocking(executable, arguments, environment: environment) }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let output = try CleanSpawn.makePipe()
        let child: Subprocess
        do {
            child = try spawn(executable, arguments, environment: environment, output: output.write)
        } catch {
            close(output.read)
            close(output.write)
            throw error
        }
        close(output.write)
        // Read to the end before waiting, so a chatty child never blocks on a full pipe.
        let data = FileHandle(fileDescriptor: output.read, closeOnDealloc: true).readDataToEndOfFile()
        return Result(status: CleanSpawn.waitForExit(child.pid), output: String(decoding: data, as: UTF8.self))
    }

    /// Starts `executable` with stdin from /dev/null and stdout and stderr on `output`.
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, output: Int32) throws -> Subprocess {
        let environment = environment ?? ProcessInfo.processInfo.environment
        return Subprocess(pid: try CleanSpawn.spawn(executable, arguments, environment: environment, stdout: output, stderr: output))
    }

    /// Sends SIGTERM.
    func terminate() {
        kill(pid, SIGTERM)
    }

    /// Waits for the child to end: its exit status, or 128 + the signal that ended it.
    func wait() async -> Int32 {
        let pid = pid
        return await onOwnThread { CleanSpawn.waitForExit(pid) }
    }

    /// Whether the child has not ended yet (without reaping it).
    var isRunning: Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info._sifields._sigchld.si_pid == 0
    }

    /// The first of `candidates` that exists and is executable.
    static func locate(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
