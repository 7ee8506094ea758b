public import Daemon
public import Model

/// Writes each event as one structured journal entry (see ``EventJournalEntry`` for the fields).
public struct JournalEventSink: EventSink {
    private let writer: JournalWriter
    private let syslogIdentifier: String

    public init(syslogIdentifier: String = EventJournalEntry.syslogIdentifier) {
        self.writer = JournalWriter()
        self.syslogIdentifier = syslogIdentifier
    }

    /// Sends the events in order; stops at the first one journald refuses.
    ///
    /// The ones before it are in the journal already and come again with the retry: readers
    /// that must not count an event twice deduplicate by `EVENT_ID`.
    /// - Throws: ``JournalError``, so that the daemon keeps the events and delivers them again.
    public func deliver(_ events: [WatchEvent]) throws {
        for event in events {
            try writer.send(
                EventJournalEntry.fields(for: event, syslogIdentifier: syslogIdentifier)
                    + Self.codeLocation()
            )
        }
    }

    /// `CODE_*` name the code that wrote the entry, as `sd_journal_send` does for C callers.
    private static func codeLocation(file: String = #fileID, line: UInt = #line, function: String = #function) -> [JournalField] {
        [JournalField("CODE_FILE", file), JournalField("CODE_LINE", String(line)), JournalField("CODE_FUNC", function)]
    }
}
