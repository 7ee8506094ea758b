import Foundation
public import Model

/// The journal fields that describe one ``WatchEvent``.
///
/// The run's times go out twice: `…_TIME` in ISO 8601 UTC for people and `…_TIME_USEC` as microseconds
/// since the epoch for programs (the unit journald's own timestamps use). Fields that do not
/// apply to an event are left out rather than sent empty, so `journalctl FIELD=` queries match
/// only entries that carry the field. Every value is made one line by ``OneLineText``.
public enum EventJournalEntry {
    /// `SYSLOG_IDENTIFIER` of every entry the watcher writes.
    public static let syslogIdentifier = "cognito-sync-watcher"

    /// The longest `MESSAGE` kept; it quotes the failure message, so it may be longer than other values.
    public static let maximumMessageBytes = 8_192

    /// The fields for `event`, without the `CODE_*` location (the sink adds that).
    public static func fields(for event: WatchEvent, syslogIdentifier: String = syslogIdentifier) -> [JournalField] {
        var fields: [JournalField] = [
            JournalField("MESSAGE", OneLineText.sanitize(event.message, maximumBytes: maximumMessageBytes)),
            JournalField("MESSAGE_ID", JournalMessageID.id(for: event.kind)),
            JournalField("PRIORITY", String(event.severity.rawValue)),
            JournalField("SYSLOG_IDENTIFIER", syslogIdentifier),
            JournalField("EVENT_KIND", event.kind.rawValue),
            JournalField("EVENT_ID", OneLineText.sanitize(event.identity)),
            JournalField("IDENTITY_POOL_ID", event.poolID.rawValue),
        ]
        func add(_ name: String, _ value: String?) {
            if let value { fields.append(JournalField(name, OneLineText.sanitize(value))) }
        }
        add("POOL_NAME", event.poolName)
        add("BULK_PUBLISH_STATUS", event.status?.rawValue)
        add("PREVIOUS_STATUS", event.previousStatus?.rawValue)
        add("BULK_PUBLISH_START_TIME", event.startTime.map(EventText.timestamp))
        add("BULK_PUBLISH_START_TIME_USEC", event.startTime.flatMap(microseconds))
        add("BULK_PUBLISH_COMPLETE_TIME", event.completeTime.map(EventText.timestamp))
        add("BULK_PUBLISH_COMPLETE_TIME_USEC", event.completeTime.flatMap(microseconds))
        add("DURATION_SEC", event.duration.flatMap(seconds))
        add("FAILURE_MESSAGE", event.failureMessage)
        add("ERROR_CODE", event.errorCode)
        add("ANOMALY", event.anomaly?.rawValue)
        add("DETAIL", event.detail)
        add("OBSERVED_AT", EventText.timestamp(event.observedAt))
        return fields
    }

    /// Microseconds since the epoch, or `nil` for a time no integer holds.
    static func microseconds(_ date: Date) -> String? {
        let value = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard value.isFinite, value >= Double(Int64.min), value < Double(Int64.max) else { return nil }
        return String(Int64(value))
    }

    /// Seconds with at most millisecond precision and no trailing zeros: `3600`, `1.5`, `0.001`.
    static func seconds(_ duration: Duration) -> String? {
        let milliseconds = (duration / .milliseconds(1)).rounded()
        guard abs(milliseconds) < Double(Int64.max) else { return nil }
        let total = Int64(milliseconds)
        let sign = total < 0 ? "-" : ""
        let whole = total.magnitude / 1_000
        let fraction = total.magnitude % 1_000
        guard fraction != 0 else { return sign + String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }
}
