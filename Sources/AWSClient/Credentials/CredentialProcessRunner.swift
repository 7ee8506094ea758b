import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a helper program without a shell and collects its output, without holding a thread of
/// Swift's cooperative pool while it runs: Dispatch reports output, Foundation the exit, each on
/// its own threads, and a continuation carries the result back.
enum CredentialProcessRunner {
    /// How a run ended.
    struct Outcome: Sendable {
        /// The exit status, or the signal number when `exitedBySignal`.
        var status: Int32
        var exitedBySignal: Bool
        var stdout: Data
        /// At most the first `stderrLimit` bytes.
        var stderr: Data
    }

    /// Why a run produced no outcome.
    enum Failure: Error {
        case launchFailed
        case timedOut
        case stdoutTooLarge
    }

    static func run(
        executable: String,
        arguments: [String],
        environment: [String: String],
        timeout: Duration,
        stdoutLimit: Int,
        stderrLimit: Int
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        // A daemon's stdin is not the helper's to read; botocore would hand over its own.
        process.standardInput = FileHandle.nullDevice
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let collector = ProcessOutputCollector(stdoutLimit: stdoutLimit, stderrLimit: stderrLimit)
        // DispatchIO rather than `readabilityHandler`: on Linux the latter never reports end of file.
        let queue = DispatchQueue(label: "credential-process-output")
        let stdoutChannel = Self.channel(for: stdoutPipe, queue: queue)
        let stderrChannel = Self.channel(for: stderrPipe, queue: queue)
        defer {
            stdoutChannel.close(flags: .stop)
            stderrChannel.close(flags: .stop)
        }

        return try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        collector.start(continuation)
                        stdoutChannel.read(offset: 0, length: Int.max, queue: queue) { done, data, _ in
                            if !collector.receive(stdout: data.map { Data($0) } ?? Data(), done: done) {
                                Self.forceStop(process)
                            }
                        }
                        stderrChannel.read(offset: 0, length: Int.max, queue: queue) { done, data, _ in
                            collector.receive(stderr: data.map { Data($0) } ?? Data(), done: done)
                        }
                        process.terminationHandler = { finished in
                            collector.terminated(
                                status: finished.terminationStatus,
                                bySignal: finished.terminationReason == .uncaughtSignal)
                        }
                        Self.launch(process, collector: collector)
                    }
                } onCancel: {
                    collector.fail(CancellationError())
                    Self.forceStop(process)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            guard let first = try await group.next() else { throw Failure.timedOut }
            group.cancelAll()
            guard let outcome = first else { throw Failure.timedOut }
            return outcome
        }
    }

    /// Starts the child from a thread of its own with no signals blocked.
    ///
    /// The child inherits the signal mask of the thread that spawns it, and Swift's concurrency
    /// threads block nearly every signal: a helper started from one could not be stopped with
    /// SIGTERM or Ctrl-C, nor could its own children.
    private static func launch(_ process: Process, collector: ProcessOutputCollector) {
        let thread = Thread {
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            pthread_sigmask(SIG_SETMASK, &unblocked, nil)
            // The run may have been given up (timeout, cancellation) before this thread got going.
            guard !collector.isFinished else { return }
            do {
                try process.run()
            } catch {
                collector.fail(Failure.launchFailed)
                return
            }
            if collector.isFinished {
                forceStop(process)
            }
        }
        thread.name = "credential-process-launch"
        thread.start()
    }

    /// SIGKILL, because a helper may have inherited an ignored SIGTERM from the daemon.
    private static func forceStop(_ process: Process) {
        guard process.isRunning else { return }
        _ = kill(process.processIdentifier, SIGKILL)
    }

    /// A stream reader on the pipe's read end; it keeps the pipe (and so the descriptor) alive
    /// until the channel is closed.
    private static func channel(for pipe: Pipe, queue: DispatchQueue) -> DispatchIO {
        DispatchIO(type: .stream, fileDescriptor: pipe.fileHandleForReading.fileDescriptor, queue: queue) { _ in
            withExtendedLifetime(pipe) {}
        }
    }
}

/// Gathers a child's output and exit from Dispatch's and Foundation's threads; every access
/// holds the lock.
private final class ProcessOutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private let stdoutLimit: Int
    private let stderrLimit: Int
    private var continuation: CheckedContinuation<CredentialProcessRunner.Outcome?, any Error>?
    private var pendingFailure: (any Error)?
    private var stdout = Data()
    private var stderr = Data()
    private var stdoutClosed = false
    private var stderrClosed = false
    private var exit: (status: Int32, bySignal: Bool)?
    private var finished = false

    init(stdoutLimit: Int, stderrLimit: Int) {
        self.stdoutLimit = stdoutLimit
        self.stderrLimit = stderrLimit
    }

    /// True once the run has an outcome or was given up.
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished || pendingFailure != nil
    }

    func start(_ continuation: CheckedContinuation<CredentialProcessRunner.Outcome?, any Error>) {
        lock.lock()
        if let pendingFailure {
            // Cancelled before the continuation existed.
            finished = true
            lock.unlock()
            continuation.resume(throwing: pendingFailure)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    /// Returns false once the output is over the limit, so the caller stops the child.
    @discardableResult
    func receive(stdout data: Data, done: Bool) -> Bool {
        lock.lock()
        if stdout.count + data.count > stdoutLimit {
            lock.unlock()
            fail(CredentialProcessRunner.Failure.stdoutTooLarge)
            return false
        }
        stdout.append(data)
        stdoutClosed = stdoutClosed || done
        let result = takeOutcomeIfComplete()
        lock.unlock()
        result?.continuation.resume(returning: result?.outcome)
        return true
    }

    func receive(stderr data: Data, done: Bool) {
        lock.lock()
        if stderr.count < stderrLimit {
            stderr.append(data.prefix(stderrLimit - stderr.count))
        }
        stderrClosed = stderrClosed || done
        let result = takeOutcomeIfComplete()
        lock.unlock()
        result?.continuation.resume(returning: result?.outcome)
    }

    func terminated(status: Int32, bySignal: Bool) {
        lock.lock()
        exit = (status, bySignal)
        let result = takeOutcomeIfComplete()
        lock.unlock()
        result?.continuation.resume(returning: result?.outcome)
    }

    func fail(_ error: any Error) {
        lock.lock()
        guard !finished else {
            lock.unlock()
            return
        }
        guard let continuation else {
            pendingFailure = error
            lock.unlock()
            return
        }
        finished = true
        self.continuation = nil
        lock.unlock()
        continuation.resume(throwing: error)
    }

    /// Called with the lock held: the outcome once the child has exited and both pipes are
    /// drained, handed out exactly once.
    private func takeOutcomeIfComplete() -> (
        continuation: CheckedContinuation<CredentialProcessRunner.Outcome?, any Error>,
        outcome: CredentialProcessRunner.Outcome
    )? {
        guard !finished, stdoutClosed, stderrClosed, let exit, let continuation else { return nil }
        finished = true
        self.continuation = nil
        return (continuation, CredentialProcessRunner.Outcome(
            status: exit.status, exitedBySignal: exit.bySignal, stdout: stdout, stderr: stderr))
    }
}
