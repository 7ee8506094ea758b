/// Where events and diagnostics go: `--log-target journal|stderr|auto`.
public enum LogTarget: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Structured entries through journald's native socket.
    case journal
    /// Readable lines on standard error.
    case stderr
    /// The journal when standard error already goes there (a systemd service), else stderr.
    case auto

    public var description: String { rawValue }

    /// The target to use: `auto` decided by ``JournalStream/standardErrorIsJournal(environment:standardError:)``.
    public func resolved(environment: [String: String], standardError: FileIdentity?) -> ResolvedLogTarget {
        switch self {
        case .journal: .journal
        case .stderr: .stderr
        case .auto:
            JournalStream.standardErrorIsJournal(environment: environment, standardError: standardError)
                ? .journal : .stderr
        }
    }
}

/// A ``LogTarget`` with `auto` decided.
public enum ResolvedLogTarget: String, Sendable, Equatable {
    case journal
    case stderr
}
