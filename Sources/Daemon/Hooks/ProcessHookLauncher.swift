import HelperProcess
public import Model

/// Runs hooks as processes: no shell, a session of their own (a timeout kills the whole process
/// group, a script's children included), stdout and stderr through one pipe of which the first
/// ``outputLimit`` bytes are kept for the journal.
public struct ProcessHookLauncher: HookLauncher {
    /// What is kept of a run's output; the rest is read and dropped.
    public static let outputLimit = 8 * 1024

    private let sleep: Sleep

    /// - Parameter sleep: waits out a hook's timeout.
    public init(sleep: @escaping Sleep = taskSleep) {
        self.sleep = sleep
    }

    public func run(_ command: HookCommand, environment: [String: String], inputPath: String, timeout: Duration) async -> HookRunResult {
        let outcome: HelperProcess.Outcome
        do {
            outcome = try await HelperProcess.run(
                executable: command.executable, arguments: command.arguments, environment: environment,
                input: .file(path: inputPath), output: .combined(limit: Self.outputLimit), ownProcessGroup: true,
                timeout: timeout, sleep: sleep)
        } catch HelperProcess.Failure.timedOut {
            return .timedOut
        } catch is CancellationError {
            // The daemon is stopping: the hook was killed; the runner keeps its event spooled.
            return .timedOut
        } catch {
            // Could not start (the combined output has no limit to exceed).
            return .couldNotStart
        }
        let output = String(decoding: outcome.stdout, as: UTF8.self) + (outcome.outputWasCut ? "…" : "")
        return outcome.exitedBySignal
            ? .killedBySignal(outcome.status, output: output)
            : .exited(status: outcome.status, output: output)
    }
}
