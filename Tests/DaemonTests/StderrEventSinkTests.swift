import DaemonTestSupport
import Daemon
import Foundation
import Model
import Synchronization
import Testing

struct StderrEventSinkTests {
    /// Collects what the sink writes.
    final class Lines: Sendable {
        let written = Mutex<[String]>([])
        func append(_ line: String) { written.withLock { $0.append(line) } }
    }

    struct WriteFailure: Error {}

    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let observed = Date(timeIntervalSince1970: 1_795_003_630)

    func event(_ kind: WatchEvent.Kind, name: String? = "orders") throws -> WatchEvent {
        try WatchEvent(
            kind: kind, poolID: IdentityPoolID(validating: "us-east-1:0b7a4c2e-8d1f-4e3a-b6c9-2a5d7e9f1c3b"),
            poolName: name, previousStatus: .inProgress, status: .failed, startTime: Self.start,
            completeTime: Self.start.addingTimeInterval(3_600), duration: .seconds(3_600),
            failureMessage: kind == .failed ? "Stream write failed\n\u{1B}[2Jcleared" : nil,
            observedAt: Self.observed, identity: "id-\(kind.rawValue)"
        )
    }

    @Test func writesOneReadableLinePerEvent() throws {
        let lines = Lines()
        let sink = StderrEventSink { lines.append($0) }
        var recovered = try event(.pollRecovered, name: nil)
        recovered.status = nil
        recovered.errorCode = "ThrottlingException"
        try sink.deliver([try event(.failed), recovered])
        let pool = "us-east-1:0b7a4c2e-8d1f-4e3a-b6c9-2a5d7e9f1c3b"
        let failedLine: String = "2026-11-18T12:07:10Z err \(pool) (orders) IN_PROGRESS -> FAILED: "
            + "Bulk publish of pool 'orders' (\(pool)) FAILED after 1h "
            + "(started 2026-11-18T11:06:40Z): Stream write failed \u{FFFD}[2Jcleared\n"
        let recoveredLine: String = "2026-11-18T12:07:10Z notice \(pool): "
            + "Polling pool \(pool) works again after 1h of errors (last error: ThrottlingException).\n"
        let written = lines.written.withLock { $0 }
        #expect(written == [failedLine, recoveredLine])
    }

    @Test func showsAnUnchangedStatusOnce() throws {
        var stalled = try event(.stalled)
        stalled.status = .inProgress
        let line = StderrEventSink.line(for: stalled)
        #expect(line.hasPrefix("2026-11-18T12:07:10Z warning us-east-1:0b7a4c2e-8d1f-4e3a-b6c9-2a5d7e9f1c3b (orders) IN_PROGRESS: "))
    }

    @Test func linesNeverContainControlCharacters() throws {
        var failed = try event(.failed, name: "multi\nline\tname")
        failed.failureMessage = "a\r\nb\u{0}c\u{7F}d\u{9B}e"
        let line = StderrEventSink.line(for: failed)
        #expect(!line.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(line.contains("(multi line name)"))
    }

    @Test func failsWhenTheWriterFails() throws {
        let lines = Lines()
        let sink = StderrEventSink { line in
            if lines.written.withLock({ $0.count }) == 1 { throw WriteFailure() }
            lines.append(line)
        }
        #expect(throws: WriteFailure.self) {
            try sink.deliver([try event(.started), try event(.failed)])
        }
        #expect(lines.written.withLock { $0.count } == 1)
    }

    @Test func writesToARealFileDescriptor() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try FileHandle(forWritingTo: url)
        try StderrEventSink.writing(to: file.fileDescriptor).deliver([try event(.started), try event(.failed)])
        try file.close()
        let written = try String(contentsOf: url, encoding: .utf8)
        #expect(written == StderrEventSink.line(for: try event(.started)) + "\n" + StderrEventSink.line(for: try event(.failed)) + "\n")
    }

    @Test func reportsAFailedWrite() throws {
        // /dev/full refuses every write with ENOSPC, like a full disk behind a redirected stderr.
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? full.close() }
        #expect(throws: (any Error).self) {
            try StderrEventSink.writing(to: full.fileDescriptor).deliver([try event(.started)])
        }
    }
}
