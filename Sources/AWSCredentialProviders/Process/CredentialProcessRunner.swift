import AWSCore
import Subprocess
import SystemPackage

/// Runs a helper program without a shell and collects its output, with swift-subprocess: the
/// child starts with no signals blocked or ignored (Swift's concurrency threads block nearly all
/// of them, and a helper must stay stoppable with SIGTERM or Ctrl-C), its pipes are read without
/// holding a thread of Swift's cooperative pool, and a cancelled run kills it.
enum CredentialProcessRunner {
    /// How a run ended.
    struct Outcome: Sendable {
        /// The exit status, or the signal number when `exitedBySignal`.
        var status: Int32
        var exitedBySignal: Bool
        var stdout: [UInt8]
        /// At most the first `stderrLimit` bytes.
        var stderr: [UInt8]
    }

    /// Why a run produced no outcome.
    enum Failure: Error {
        case launchFailed
        case timedOut
        case stdoutTooLarge
    }

    /// Runs `executable` to its end, or kills it at `timeout` (SIGKILL: a helper may have
    /// inherited an ignored SIGTERM) or when the calling task is cancelled.
    static func run(
        executable: String,
        arguments: [String],
        environment: [String: String],
        timeout: Duration,
        stdoutLimit: Int,
        stderrLimit: Int
    ) async throws -> Outcome {
        try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                try await runToEnd(
                    executable: executable, arguments: arguments, environment: environment,
                    stdoutLimit: stdoutLimit, stderrLimit: stderrLimit)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            // The first to finish decides; cancelling the other kills a helper still running.
            let first = try await group.next()
            group.cancelAll()
            guard let outcome = first ?? nil else { throw Failure.timedOut }
            return outcome
        }
    }

    private static func runToEnd(
        executable: String, arguments: [String], environment: [String: String], stdoutLimit: Int, stderrLimit: Int
    ) async throws -> Outcome {
        let result: ExecutionResult<[UInt8], BytesOutput, SequenceOutput>
        do {
            // A daemon's stdin is not the helper's to read; botocore would hand over its own.
            result = try await Subprocess.run(
                .path(FilePath(executable)),
                arguments: Arguments(arguments),
                // `KEY=value` entries, NUL-terminated: swift-subprocess 1.0 hands each one to
                // strdup(3) as it is, so an entry without its terminator would read past its end.
                environment: .custom(environment.map { Array("\($0.key)=\($0.value)".utf8) + [0] }),
                input: .none,
                output: .bytes(limit: stdoutLimit),
                error: .sequence
            ) { execution in
                // Keep the first bytes of stderr for the failure message, and drain the rest so
                // a chatty helper never blocks on a full pipe.
                var kept: [UInt8] = []
                for try await chunk in execution.standardError where kept.count < stderrLimit {
                    chunk.withUnsafeBytes { kept += $0.prefix(stderrLimit - kept.count) }
                }
                return kept
            }
        } catch let error as SubprocessError where error.code == .outputLimitExceeded {
            throw Failure.stdoutTooLarge
        } catch is SubprocessError {
            throw Failure.launchFailed
        }
        let (status, bySignal): (Int32, Bool) = switch result.terminationStatus {
        case .exited(let code): (code, false)
        case .signaled(let signal): (signal, true)
        }
        return Outcome(status: status, exitedBySignal: bySignal, stdout: result.standardOutput, stderr: result.closureResult)
    }
}
