#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import ProcessSupport
import Synchronization

/// The built binary running as a child process, with its stdout and stderr read as they come.
///
/// Started by ``CleanSpawn``, so the child gets an empty signal mask and default signal actions
/// whatever thread starts it. Waiting is always "until this condition, or this
/// deadline": a test never sleeps hoping something happened.
final class ChildProcess: Sendable {
    /// What the child has written so far, and its exit status once it ended.
    struct Output: Sendable, CustomStringConvertible {
        var stdout: String
        var stderr: String
        /// The exit status, or 128 + the signal that ended it.
        var status: Int32?
        /// Both streams reached end of file and the process was reaped.
        var isComplete: Bool

        var description: String {
            "status \(status.map(String.init) ?? "still running")\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
        }

        /// stderr's lines.
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
        /// stdout's lines.
        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    private struct Waiter {
        let predicate: @Sendable (Output) -> Bool
        let continuation: CheckedContinuation<Output?, Never>
    }

    private struct State {
        var stdout = Data()
        var stderr = Data()
        var openStreams = 2
        var status: Int32?
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0

        var output: Output {
            Output(
                stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
                status: status, isComplete: openStreams == 0 && status != nil
            )
        }
    }

    let pid: pid_t
    let arguments: [String]
    private let state = Mutex(State())

    private init(pid: pid_t, arguments: [String]) {
        self.pid = pid
        self.arguments = arguments
    }

    /// Starts `executable` with exactly `environment`, stdin from /dev/null.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ChildProcess {
        let stdoutPipe = try CleanSpawn.makePipe()
        let stderrPipe: (read: Int32, write: Int32)
        do {
            stderrPipe = try CleanSpawn.makePipe()
        } catch {
            close(stdoutPipe.read)
            close(stdoutPipe.write)
            throw error
        }
        defer {
            // The child holds its own copies; the parent keeps only the reading ends.
            close(stdoutPipe.write)
            close(stderrPipe.write)
        }
        let pid: pid_t
        do {
            pid = try CleanSpawn.spawn(executable, arguments, environment: environment, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            close(stdoutPipe.read)
            close(stderrPipe.read)
            throw error
        }
        let child = ChildProcess(pid: pid, arguments: arguments)
        child.readInBackground(stdoutPipe.read, isStdout: true)
        child.readInBackground(stderrPipe.read, isStdout: false)
        child.reapInBackground()
        return child
    }

    /// Sends `signal` to the child (if it has not been reaped yet).
    func send(_ signal: Int32) {
        state.withLock { state in
            if state.status == nil { kill(pid, signal) }
        }
    }

    /// What the child has written so far.
    var output: Output {
        state.withLock { $0.output }
    }

    /// Waits until `predicate` holds for the output, or `timeout` passes (then nil).
    func wait(timeout: Duration, until predicate: @escaping @Sendable (Output) -> Bool) async -> Output? {
        let id: UInt64 = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let deadline = Mutex<Task<Void, Never>?>(nil)
        defer { deadline.withLock { $0?.cancel() } }
        return await withCheckedContinuation { continuation in
            let ready: Output? = state.withLock { state in
                let output = state.output
                if predicate(output) { return output }
                state.waiters[id] = Waiter(predicate: predicate, continuation: continuation)
                return nil
            }
            if let ready {
                continuation.resume(returning: ready)
                return
            }
            // Armed only once the waiter is registered, so it cannot fire too early to matter.
            deadline.withLock { task in
                task = Task {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled { self.resolve(id, with: nil) }
                }
            }
        }
    }

    /// Waits for a line on stderr containing `text`.
    func waitForStderr(containing text: String, timeout: Duration = .seconds(15)) async -> Output? {
        await wait(timeout: timeout) { $0.stderr.contains(text) || $0.isComplete }
            .flatMap { $0.stderr.contains(text) ? $0 : nil }
    }

    /// Waits for the child to end and both streams to close; kills it if `timeout` passes first.
    func finish(timeout: Duration = .seconds(20)) async -> Output {
        if let done = await wait(timeout: timeout, until: \.isComplete) { return done }
        send(SIGKILL)
        return await wait(timeout: .seconds(5), until: \.isComplete) ?? output
    }

    // MARK: - Background readers

    private func readInBackground(_ descriptor: Int32, isStdout: Bool) {
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                let chunk = Data(buffer[0..<count])
                self.update { state in
                    if isStdout { state.stdout.append(chunk) } else { state.stderr.append(chunk) }
                }
            }
            close(descriptor)
            self.update { $0.openStreams -= 1 }
        }
    }

    private func reapInBackground() {
        let pid = self.pid
        Thread.detachNewThread {
            let code = CleanSpawn.waitForExit(pid)
            self.update { $0.status = code }
        }
    }

    /// Applies `change`, then wakes every waiter whose condition now holds.
    private func update(_ change: (inout State) -> Void) {
        let ready: [(CheckedContinuation<Output?, Never>, Output)] = state.withLock { state in
            change(&state)
            let output = state.output
            var ready: [(CheckedContinuation<Output?, Never>, Output)] = []
            for (id, waiter) in state.waiters where waiter.predicate(output) {
                ready.append((waiter.continuation, output))
                state.waiters[id] = nil
            }
            return ready
        }
        for (continuation, output) in ready { continuation.resume(returning: output) }
    }

    private func resolve(_ id: UInt64, with output: Output?) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(returning: output)
    }
}
