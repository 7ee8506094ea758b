public import Foundation

/// Words and numbers as people read them in the journal and on a terminal.
public enum EventText {
    /// An ISO 8601 UTC timestamp with seconds, e.g. `2026-11-29T04:15:00Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// A duration like `1h 2m 3s`, `45s` or `2d 3h`; the two largest units are enough to read.
    public static func duration(_ duration: Duration) -> String {
        self.duration(duration.seconds)
    }

    /// ``duration(_:)-(Duration)`` for a span between two dates, in seconds.
    public static func duration(_ seconds: TimeInterval) -> String {
        // Beyond what `Int` holds (and any real duration): no whole number of seconds to show.
        guard seconds.isFinite, seconds.magnitude < 1e15 else { return "an unknown time" }
        if seconds < 0 { return "-" + duration(-seconds) }
        if seconds < 10, seconds != seconds.rounded() {
            return String(format: "%.1fs", seconds)
        }
        var remaining = Int(seconds.rounded())
        let units: [(String, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var parts: [String] = []
        for (name, size) in units where remaining >= size || (size == 1 && parts.isEmpty) {
            parts.append("\(remaining / size)\(name)")
            remaining %= size
            if parts.count == 2 { break }
        }
        return parts.joined(separator: " ")
    }
}

extension WatchEvent {
    /// One sentence a person understands: the journal's `MESSAGE`.
    public var message: String {
        let pool = "pool " + (poolName.map { "'\($0)' (\(poolID))" } ?? poolID.rawValue)
        let started = startTime.map { " (started \(EventText.timestamp($0)))" } ?? ""
        switch kind {
        case .started:
            return "Bulk publish of \(pool) is IN_PROGRESS\(started)."
        case .succeeded:
            let took = duration.map { " after \(EventText.duration($0))" } ?? ""
            return "Bulk publish of \(pool) SUCCEEDED\(took)\(started)."
        case .failed:
            let took = duration.map { " after \(EventText.duration($0))" } ?? ""
            let why = failureMessage.map { ": \($0)" } ?? " (the service gave no failure message)"
            return "Bulk publish of \(pool) FAILED\(took)\(started)\(why)"
        case .stalled:
            let took = duration.map { " for \(EventText.duration($0))" } ?? ""
            return "Bulk publish of \(pool) has been IN_PROGRESS\(took)\(started), longer than its stall limit."
        case .anomaly:
            return "Unexpected report for \(pool): \(detail ?? anomaly?.rawValue ?? "unknown anomaly")."
        case .unrecognizedStatus:
            return "Bulk publish of \(pool) has status '\(status?.rawValue ?? "")', which this version does not know."
        case .pollFailing:
            return "Cannot poll \(pool): \(errorCode ?? "error")\(detail.map { ": \($0)" } ?? "")."
        case .pollRecovered:
            let took = duration.map { " after \(EventText.duration($0)) of errors" } ?? ""
            return "Polling \(pool) works again\(took) (last error: \(errorCode ?? "unknown"))."
        }
    }
}
