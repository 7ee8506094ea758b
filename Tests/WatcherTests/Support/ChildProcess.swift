#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Synchronization

/// The built binary running as a child process, with its stdout and stderr read as they come.
///
/// Started with posix_spawn(3) rather than Foundation's `Process`, so the child gets an empty
/// signal mask and default signal actions whatever thread starts it (test threads block signals,
/// and a blocked SIGINT would be inherited). Waiting is always "until this condition, or this
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

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
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
        let stdoutPipe = try makePipe()
        let stderrPipe = try makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, number)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(stdoutPipe.write)
        close(stderrPipe.write)
        guard result == 0 else {
            close(stdoutPipe.read)
            close(stderrPipe.read)
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
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
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            let signal = status & 0x7f
            let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
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

    // MARK: - Pipes

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// A pipe whose ends are close-on-exec from birth, so a child spawned at the same moment by
    /// another test cannot inherit them and hold them open (Glibc's module does not export
    /// pipe2, so it is looked up at run time).
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pipe2") else {
            throw SpawnError(description: "pipe2 is not available")
        }
        let pipe2 = unsafeBitCast(symbol, to: Pipe2.self)
        guard descriptors.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.map { pipe2($0, O_CLOEXEC) } ?? -1 }) == 0 else {
            throw SpawnError(description: "pipe2 failed: errno \(errno)")
        }
        return (descriptors[0], descriptors[1])
    }
}
