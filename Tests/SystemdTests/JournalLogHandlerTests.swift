import Logging
@testable import Systemd
import Testing

struct JournalLogHandlerTests {
    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func mapsLevelsToSyslogPriorities(level: Logger.Level, priority: Int) {
        #expect(JournalLogHandler.priority(level) == priority)
    }

    @Test func writesMessageLocationAndMetadataAsFields() {
        var handler = JournalLogHandler(label: "watcher.loop", metadataProvider: .init { ["request.id": "from-provider", "region": "us-east-1"] })
        handler[metadataKey: "pool.id"] = "us-east-1:abc"
        handler[metadataKey: "region"] = "from-handler"
        let fields = handler.fields(for: LogEvent(
            level: .warning, message: "poll failed\nretrying", metadata: ["request.id": "explicit", "attempt": "2"],
            source: "Watcher", file: "Watcher/Loop.swift", function: "tick()", line: 42
        ))
        #expect(fields.map(\.description) == [
            "MESSAGE=poll failed retrying",
            "PRIORITY=4",
            "SYSLOG_IDENTIFIER=cognito-sync-watcher",
            "LOGGER=watcher.loop",
            "CODE_FILE=Watcher/Loop.swift",
            "CODE_LINE=42",
            "CODE_FUNC=tick()",
            "ATTEMPT=2",
            "POOL_ID=us-east-1:abc",
            "REGION=us-east-1",
            "REQUEST_ID=explicit",
        ])
    }

    @Test func metadataCannotOverrideTheHandlersOwnFields() {
        let handler = JournalLogHandler(label: "l")
        let fields = handler.fields(for: LogEvent(
            level: .info, message: "m", metadata: ["priority": "0", "MESSAGE": "forged", "code_line": "1", "_pid": "1"],
            source: "s", file: "f", function: "g", line: 7
        ))
        let byName = Dictionary(fields.map { ($0.name, $0.value) }) { first, _ in first }
        #expect(fields.filter { $0.name == "PRIORITY" }.map(\.value) == ["6"])
        #expect(fields.filter { $0.name == "MESSAGE" }.map(\.value) == ["m"])
        #expect(byName["META_PRIORITY"] == "0")
        #expect(byName["META_MESSAGE"] == "forged")
        #expect(byName["META_CODE_LINE"] == "1")
        #expect(byName["PID"] == "1")
        #expect(Set(fields.map(\.name)).count == fields.count)
    }

    @Test func flattensNestedMetadataAndErrors() {
        struct Failure: Error, CustomStringConvertible { var description: String { "it broke" } }
        let handler = JournalLogHandler(label: "l")
        let fields = handler.fields(for: LogEvent(
            level: .error, message: "m", error: Failure(),
            metadata: ["pools": ["a", "b"], "limits": ["rps": "10"]],
            source: "s", file: "f", function: "g", line: 7
        ))
        let byName = Dictionary(fields.map { ($0.name, $0.value) }) { first, _ in first }
        #expect(byName["POOLS"] == #"["a", "b"]"#)
        #expect(byName["LIMITS"] == #"["rps": "10"]"#)
        #expect(byName["ERROR_MESSAGE"] == "it broke")
        #expect(byName["ERROR_TYPE"]?.hasSuffix("Failure") == true)
    }
}
