/// What the simulator has been asked, counted per pool, per fault and per outcome, with the most
/// recent requests in full: for tests, and for people checking what their client really sent.
public struct RequestLog: Sendable, Equatable, Codable {
    /// One request and how it was answered.
    public struct Entry: Sendable, Equatable, Codable {
        /// Seconds after the simulator's start.
        public var at: Double
        public var method: String
        public var path: String
        public var operation: String?
        /// The pool id from the path, decoded (even when it is not a valid id).
        public var pool: String?
        /// `nil` when the connection was reset.
        public var status: Int?
        public var errorCode: String?
        /// The label of the fault that hit the request.
        public var fault: String?
        public var accessKeyId: String?
        /// The client's `User-Agent`, shortened.
        public var userAgent: String?
    }

    /// How many of the most recent requests are kept in full.
    public static let recentLimit = 1000

    public var total = 0
    /// Connections accepted (with TLS, each one a handshake): shows whether clients keep theirs alive.
    public var connections = 0
    /// Pool id → operation (or `Unknown`) → count.
    public var byPool: [String: [String: Int]] = [:]
    /// Fault label → requests it hit.
    public var byFault: [String: Int] = [:]
    /// HTTP status and error code (`200`, `403 InvalidSignatureException`, `reset`) → count.
    public var byOutcome: [String: Int] = [:]
    /// Oldest first.
    public var recent: [Entry] = []

    public init() {}

    mutating func record(_ entry: Entry) {
        total += 1
        if let pool = entry.pool {
            byPool[pool, default: [:]][entry.operation ?? "Unknown", default: 0] += 1
        }
        if let fault = entry.fault {
            byFault[fault, default: 0] += 1
        }
        byOutcome[Self.outcome(of: entry), default: 0] += 1
        recent.append(entry)
        if recent.count > Self.recentLimit {
            recent.removeFirst(recent.count - Self.recentLimit)
        }
    }

    /// How an entry is counted in ``byOutcome``.
    static func outcome(of entry: Entry) -> String {
        guard let status = entry.status else { return "reset" }
        guard let code = entry.errorCode else { return String(status) }
        return "\(status) \(code)"
    }
}
