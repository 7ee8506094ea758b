/// How urgent an event is, on the syslog scale that journald's `PRIORITY` uses.
public enum Severity: Int, Sendable, Codable, Comparable, CaseIterable, CustomStringConvertible {
    case emergency = 0
    case alert = 1
    case critical = 2
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    /// More urgent compares greater, the opposite of the numeric priority.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue > rhs.rawValue }

    public var description: String {
        switch self {
        case .emergency: "emerg"
        case .alert: "alert"
        case .critical: "crit"
        case .error: "err"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }
}
