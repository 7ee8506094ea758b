import Foundation

/// The configuration's `hooks` section: which command runs on which event, and how patiently.
///
/// Only the four events an operator pages or posts about have hooks; the others (poll errors,
/// anomalies) stay in the journal. A hook that fails is retried ``attempts`` times in all, the
/// waits between tries growing as ``HookRetrySchedule`` says.
public struct HookSettings: Sendable, Equatable {
    /// The events a hook can be set for, with their configuration keys.
    public static let hookableKinds: [WatchEvent.Kind] = [.started, .succeeded, .failed, .stalled]

    /// The command for each event that has one.
    public var commands: [WatchEvent.Kind: HookCommand]
    /// How long one run may take before it is killed.
    public var timeout: Duration
    /// Runs in all, the first included, before a failing hook is given up.
    public var attempts: Int
    /// The wait after the first failed run; each later wait doubles, up to ``maxRetryDelay``.
    public var retryDelay: Duration
    public var maxRetryDelay: Duration

    public static let defaultTimeout: Duration = .seconds(30)
    public static let defaultAttempts = 6
    public static let defaultRetryDelay: Duration = .seconds(10)
    public static let defaultMaxRetryDelay: Duration = .seconds(300)

    public init(
        commands: [WatchEvent.Kind: HookCommand] = [:],
        timeout: Duration = defaultTimeout,
        attempts: Int = defaultAttempts,
        retryDelay: Duration = defaultRetryDelay,
        maxRetryDelay: Duration = defaultMaxRetryDelay
    ) {
        self.commands = commands
        self.timeout = timeout
        self.attempts = attempts
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
    }

    /// The command `event` triggers, if its kind has one.
    public func command(for event: WatchEvent) -> HookCommand? {
        commands[event.kind]
    }

    /// When each failed run is retried.
    public var retrySchedule: HookRetrySchedule {
        HookRetrySchedule(attempts: attempts, firstDelay: retryDelay, maximumDelay: maxRetryDelay)
    }
}

/// A program and its arguments, run directly (no shell: nothing in them is expanded).
public struct HookCommand: Sendable, Equatable {
    /// An absolute path: the daemon's PATH under systemd is not the operator's.
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    /// The command as logs and `check-config` show it: an argument that is a URL shows only its
    /// scheme and host, as webhook URLs carry their token in the path or the query.
    public var displayed: String {
        ([executable] + arguments.map(Self.displayed)).joined(separator: " ")
    }

    private static func displayed(_ argument: String) -> String {
        guard let schemeEnd = argument.range(of: "://") else { return argument }
        let rest = argument[schemeEnd.upperBound...]
        // The host is what follows the last '@' of the authority (user info may hold a password).
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        let hidden = rest.count > authority.count || host.count < authority.count
        return String(argument[..<schemeEnd.upperBound]) + String(host) + (hidden ? "/…" : "")
    }
}
