import Subprocess
import SystemPackage

/// Runs a helper program without a shell and collects its output, with swift-subprocess: the
/// child starts with no signals blocked or ignored (Swift's concurrency threads block nearly all
/// of them, and a helper must stay stoppable with SIGTERM or Ctrl-C), its pipes are read without
/// holding a thread of Swift's cooperative pool, and a run that times out or is cancelled is
/// killed. Shared by `credential_process` and the event hooks.
public enum HelperProcess {
    /// How a run ended.
    public struct Outcome: Sendable, Equatable {
        /// The exit status, or the signal number when `exitedBySignal`.
        public var status: Int32
        public var exitedBySignal: Bool
        /// Standard output; with ``OutputCapture/combined(limit:)`` standard error too, and at
        /// most the first `limit` bytes.
        public var stdout: [UInt8]
        /// At most the first bytes of standard error (empty when it was combined with stdout).
        public var stderr: [UInt8]
        /// Whether output beyond the kept bytes was read and dropped.
        public var outputWasCut: Bool

        public init(status: Int32, exitedBySignal: Bool, stdout: [UInt8], stderr: [UInt8], outputWasCut: Bool = false) {
            self.status = status
            self.exitedBySignal = exitedBySignal
            self.stdout = stdout
            self.stderr = stderr
            self.outputWasCut = outputWasCut
        }

        /// Exited with status 0.
        public var succeeded: Bool { !exitedBySignal && status == 0 }
    }

    /// Why a run produced no outcome.
    public enum Failure: Error, Sendable, Equatable {
        /// The program could not be started (missing, not executable, …).
        case launchFailed
        /// It ran past its timeout and was killed.
        case timedOut
        /// Its standard output exceeded the limit of ``OutputCapture/separate(stdoutLimit:stderrLimit:)``.
        case stdoutTooLarge
    }

    /// Where the helper's standard input comes from.
    public enum Input: Sendable {
        /// Nothing: a daemon's stdin is not the helper's to read.
        case none
        /// A file, read from its start (one that cannot be opened fails the run as a launch would).
        case file(path: String)
    }

    /// How the helper's output is kept.
    public enum OutputCapture: Sendable {
        /// Standard output whole (more than `stdoutLimit` bytes is a failure), and the first
        /// `stderrLimit` bytes of standard error, the rest drained.
        case separate(stdoutLimit: Int, stderrLimit: Int)
        /// Both streams through one pipe, as a terminal would show them; the first `limit` bytes
        /// are kept, the rest drained so that a chatty helper never blocks on a full pipe.
        case combined(limit: Int)
    }

    /// Runs `executable` to its end, or kills it at `timeout` (SIGKILL: a helper may have
    /// inherited an ignored SIGTERM) or when the calling task is cancelled.
    /// - Throws: a ``Failure``, or `CancellationError` when the calling task was cancelled.
    ///
    /// With `ownProcessGroup` the helper starts a session of its own and the kill reaches every
    /// process in it: a script's `curl` dies with the script instead of living on, orphaned.
    /// `sleep` waits out the timeout (the daemon's waits on its event loop's timer).
    public static func run(
        executable: String,
        arguments: [String],
        environment: [String: String],
        input: Input = .none,
        output: OutputCapture,
        ownProcessGroup: Bool = false,
        timeout: Duration,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) async throws -> Outcome {
        var options = PlatformOptions()
        if ownProcessGroup {
            options.createSession = true
            options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        }
        let configuration = Configuration(
            executable: .path(FilePath(executable)),
            arguments: Arguments(arguments),
            // `KEY=value` entries, NUL-terminated: swift-subprocess 1.0 hands each one to
            // strdup(3) as it is, so an entry without its terminator would read past its end.
            environment: .custom(environment.map { Array("\($0.key)=\($0.value)".utf8) + [0] }),
            platformOptions: options
        )
        return try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                try await runToEnd(configuration, input: input, output: output)
            }
            group.addTask {
                try await sleep(timeout)
                return nil
            }
            // The first to finish decides; cancelling the other kills a helper still running.
            let first = try await group.next()
            group.cancelAll()
            guard let outcome = first ?? nil else { throw Failure.timedOut }
            return outcome
        }
    }

    private static func runToEnd(_ configuration: Configuration, input: Input, output: OutputCapture) async throws -> Outcome {
        var inputFile: FileDescriptor?
        if case .file(let path) = input {
            do {
                inputFile = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
            } catch {
                throw Failure.launchFailed
            }
        }
        do {
            switch (inputFile, output) {
            case (nil, .separate(let stdoutLimit, let stderrLimit)):
                let result = try await Subprocess.run(configuration, input: .none, output: .bytes(limit: stdoutLimit), error: .sequence) { execution in
                    try await keepFirst(stderrLimit, of: execution.standardError)
                }
                return outcome(result.terminationStatus, stdout: result.standardOutput, stderr: result.closureResult.kept)
            case (let descriptor?, .separate(let stdoutLimit, let stderrLimit)):
                let result = try await Subprocess.run(
                    configuration, input: .fileDescriptor(descriptor, closeAfterSpawningProcess: true),
                    output: .bytes(limit: stdoutLimit), error: .sequence
                ) { execution in
                    try await keepFirst(stderrLimit, of: execution.standardError)
                }
                return outcome(result.terminationStatus, stdout: result.standardOutput, stderr: result.closureResult.kept)
            case (nil, .combined(let limit)):
                let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .combinedWithOutput) { execution in
                    try await keepFirst(limit, of: execution.standardOutput)
                }
                return outcome(result.terminationStatus, stdout: result.closureResult.kept, cut: result.closureResult.cut)
            case (let descriptor?, .combined(let limit)):
                let result = try await Subprocess.run(
                    configuration, input: .fileDescriptor(descriptor, closeAfterSpawningProcess: true),
                    output: .sequence, error: .combinedWithOutput
                ) { execution in
                    try await keepFirst(limit, of: execution.standardOutput)
                }
                return outcome(result.terminationStatus, stdout: result.closureResult.kept, cut: result.closureResult.cut)
            }
        } catch let error as SubprocessError where error.code == .outputLimitExceeded {
            throw Failure.stdoutTooLarge
        } catch is SubprocessError {
            // The input file is swift-subprocess's from here on: it closes it on failure too.
            throw Failure.launchFailed
        }
    }

    /// Keeps the first `limit` bytes of `stream` and drains the rest.
    private static func keepFirst(_ limit: Int, of stream: SubprocessOutputSequence) async throws -> (kept: [UInt8], cut: Bool) {
        var kept: [UInt8] = []
        var total = 0
        for try await chunk in stream {
            chunk.withUnsafeBytes { bytes in
                if kept.count < limit { kept += bytes.prefix(limit - kept.count) }
                total += bytes.count
            }
        }
        return (kept, total > kept.count)
    }

    private static func outcome(_ status: TerminationStatus, stdout: [UInt8], stderr: [UInt8] = [], cut: Bool = false) -> Outcome {
        switch status {
        case .exited(let code):
            Outcome(status: code, exitedBySignal: false, stdout: stdout, stderr: stderr, outputWasCut: cut)
        case .signaled(let signal):
            Outcome(status: signal, exitedBySignal: true, stdout: stdout, stderr: stderr, outputWasCut: cut)
        }
    }
}
