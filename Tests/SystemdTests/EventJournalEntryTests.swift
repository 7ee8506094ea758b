import Foundation
import Model
import Systemd
import Testing

struct EventJournalEntryTests {
    @Test func failedRunCarriesEveryField() throws {
        let event = try SampleEvents.event(.failed, token: "x")
        let fields = EventJournalEntry.fields(for: event).map(\.description)
        #expect(fields == [
            "MESSAGE=" + OneLineText.sanitize(event.message, maximumBytes: EventJournalEntry.maximumMessageBytes),
            "MESSAGE_ID=940798936d63465e9600722e6ba29406",
            "PRIORITY=3",
            "SYSLOG_IDENTIFIER=cognito-sync-watcher",
            "EVENT_KIND=failed",
            "EVENT_ID=us-east-1:0b7a4c2e-8d1f-4e3a-b6c9-2a5d7e9f1c3b/x/failed",
            "IDENTITY_POOL_ID=us-east-1:0b7a4c2e-8d1f-4e3a-b6c9-2a5d7e9f1c3b",
            "POOL_NAME=orders",
            "BULK_PUBLISH_STATUS=FAILED",
            "PREVIOUS_STATUS=IN_PROGRESS",
            "BULK_PUBLISH_START_TIME=2026-11-18T11:06:40Z",
            "BULK_PUBLISH_START_TIME_USEC=1795000000250000",
            "BULK_PUBLISH_COMPLETE_TIME=2026-11-18T12:06:40Z",
            "BULK_PUBLISH_COMPLETE_TIME_USEC=1795003600750000",
            "DURATION_SEC=3600.5",
            "FAILURE_MESSAGE=Stream write failed PRIORITY=0 MESSAGE_ID=00000000000000000000000000000001 \u{FFFD}[31mred\u{FFFD}",
            "OBSERVED_AT=2026-11-18T12:07:10Z",
        ])
    }

    @Test func leavesOutFieldsThatDoNotApply() throws {
        let event = try WatchEvent(
            kind: .pollFailing, poolID: IdentityPoolID(validating: SampleEvents.poolIDText),
            errorCode: "AccessDeniedException", observedAt: SampleEvents.observed, identity: "id"
        )
        let names = EventJournalEntry.fields(for: event).map(\.name)
        #expect(names == [
            "MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER", "EVENT_KIND", "EVENT_ID",
            "IDENTITY_POOL_ID", "ERROR_CODE", "OBSERVED_AT",
        ])
    }

    @Test(arguments: WatchEvent.Kind.allCases)
    func everyValueIsOneLine(kind: WatchEvent.Kind) throws {
        var event = try SampleEvents.event(kind)
        event.poolName = "evil\nPRIORITY=0"
        event.detail = "line one\nline two"
        for field in EventJournalEntry.fields(for: event) {
            #expect(!field.value.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(field.name)")
        }
    }

    @Test func priorityFollowsSeverity() throws {
        for kind in WatchEvent.Kind.allCases {
            let fields = EventJournalEntry.fields(for: try SampleEvents.event(kind))
            #expect(fields.first { $0.name == "PRIORITY" }?.value == String(kind.severity.rawValue))
        }
    }

    @Test func messageIDsAreDistinct128BitIDs() {
        let ids = WatchEvent.Kind.allCases.map(JournalMessageID.id(for:))
        #expect(Set(ids).count == WatchEvent.Kind.allCases.count)
        for id in ids {
            #expect(id.count == 32)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test(arguments: [
        (3600.0, "3600"), (1.5, "1.5"), (0.0004, "0"), (0.001, "0.001"), (95.25, "95.25"),
        (-2.5, "-2.5"), (21_600, "21600"),
    ] as [(TimeInterval, String)])
    func formatsDurations(seconds: TimeInterval, expected: String) throws {
        let fields = EventJournalEntry.fields(for: try makeEvent(duration: .seconds(seconds)))
        #expect(fields.first { $0.name == "DURATION_SEC" }?.value == expected)
    }

    @Test func leavesOutDurationsNoNumberHolds() throws {
        let fields = EventJournalEntry.fields(for: try makeEvent(duration: .seconds(Int64.max)))
        #expect(!fields.contains { $0.name == "DURATION_SEC" })
    }

    private func makeEvent(duration: Duration) throws -> WatchEvent {
        var event = try SampleEvents.event(.stalled)
        event.duration = duration
        return event
    }
}
