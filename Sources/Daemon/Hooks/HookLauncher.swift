public import Model

/// Runs one hook command to its end: the real one starts a process, tests pass a fake.
public protocol HookLauncher: Sendable {
    /// Runs `command` with `environment`, the file at `inputPath` as its standard input, killed
    /// after `timeout`. Never throws: every way a run can end is a ``HookRunResult``.
    func run(_ command: HookCommand, environment: [String: String], inputPath: String, timeout: Duration) async -> HookRunResult
}

/// How one run of a hook ended.
public enum HookRunResult: Sendable, Equatable {
    /// The program exited; 0 is success. `output` is what it printed (stdout and stderr).
    case exited(status: Int32, output: String)
    /// A signal ended it.
    case killedBySignal(Int32, output: String)
    /// It ran past its timeout and was killed, with every process it started.
    case timedOut
    /// It could not be started: missing, not executable, or its input could not be opened.
    case couldNotStart

    public var succeeded: Bool {
        if case .exited(0, _) = self { return true }
        return false
    }

    /// What it printed, if it got that far.
    public var output: String {
        switch self {
        case .exited(_, let output), .killedBySignal(_, let output): output
        case .timedOut, .couldNotStart: ""
        }
    }

    /// How it ended, as the end of a log sentence: "exited with status 3".
    public func summary(timeout: Duration, executable: String) -> String {
        switch self {
        case .exited(let status, _): "exited with status \(status)"
        case .killedBySignal(let signal, _): "was killed by signal \(signal)"
        case .timedOut: "ran longer than its \(EventText.duration(timeout)) timeout and was killed"
        case .couldNotStart:
            "could not be started: check that \(executable) exists and that the service's user may run it"
        }
    }
}
