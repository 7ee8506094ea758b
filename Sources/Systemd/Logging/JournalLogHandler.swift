public import Logging
import Model

/// A swift-log handler that writes the daemon's diagnostics to the journal as structured entries.
///
/// Each metadata key becomes its own field, upper-cased into a valid name (`pool.id` →
/// `POOL_ID`), so `journalctl POOL_ID=…` finds the lines about one pool. A key that would land on a
/// field the handler sets itself (`MESSAGE`, `PRIORITY`, …) gets a `META_` prefix instead, so
/// metadata can never change an entry's priority or identity. Nested values are flattened to text.
/// An entry journald refuses is dropped: there is no better place to report that.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let syslogIdentifier: String
    private let writer = JournalWriter()

    /// The fields this handler writes itself, which metadata must not overwrite.
    static let reservedNames: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "LOGGER",
    ]

    /// A handler for the logger `label`; pass it to `LoggingSystem.bootstrap`.
    public init(
        label: String,
        syslogIdentifier: String = EventJournalEntry.syslogIdentifier,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.syslogIdentifier = syslogIdentifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        try? writer.send(fields(for: event))
    }

    /// The entry for `event`; separate from sending so that it can be checked without journald.
    func fields(for event: LogEvent) -> [JournalField] {
        var fields = [
            JournalField("MESSAGE", OneLineText.sanitize(event.message.description, maximumBytes: EventJournalEntry.maximumMessageBytes)),
            JournalField("PRIORITY", String(Self.priority(event.level))),
            JournalField("SYSLOG_IDENTIFIER", syslogIdentifier),
            JournalField("LOGGER", OneLineText.sanitize(label)),
            JournalField("CODE_FILE", OneLineText.sanitize(event.file)),
            JournalField("CODE_LINE", String(event.line)),
            JournalField("CODE_FUNC", OneLineText.sanitize(event.function)),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        // Sorted, so that two keys that sanitise to the same name resolve the same way every time.
        var used: Set<String> = []
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            guard var name = JournalFieldName.sanitized(key) else { continue }
            if Self.reservedNames.contains(name) {
                name = String(("META_" + name).prefix(JournalFieldName.maximumLength))
            }
            guard used.insert(name).inserted else { continue }
            fields.append(JournalField(name, OneLineText.sanitize(value.description)))
        }
        return fields
    }

    /// swift-log's levels on the syslog scale journald's `PRIORITY` uses.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
