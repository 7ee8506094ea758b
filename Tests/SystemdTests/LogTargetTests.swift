import Foundation
import ProcessSupport
import Systemd
import Testing

struct LogTargetTests {
    static let stderr = FileIdentity(device: 64_769, inode: 123_456)

    @Test(arguments: [
        (LogTarget.journal, [:], ResolvedLogTarget.journal),
        (.stderr, ["JOURNAL_STREAM": "64769:123456"], .stderr),
        (.auto, ["JOURNAL_STREAM": "64769:123456"], .journal),
        (.auto, [:], .stderr),
        (.auto, ["JOURNAL_STREAM": "64769:999"], .stderr),
        (.auto, ["JOURNAL_STREAM": "1:123456"], .stderr),
        (.auto, ["JOURNAL_STREAM": ""], .stderr),
        (.auto, ["JOURNAL_STREAM": "64769"], .stderr),
        (.auto, ["JOURNAL_STREAM": "64769:123456:1"], .stderr),
        (.auto, ["JOURNAL_STREAM": "x:y"], .stderr),
    ] as [(LogTarget, [String: String], ResolvedLogTarget)])
    func resolvesAutoByComparingJournalStreamWithStderr(target: LogTarget, environment: [String: String], expected: ResolvedLogTarget) {
        #expect(target.resolved(environment: environment, standardError: Self.stderr) == expected)
    }

    @Test func closedStderrIsNotTheJournal() {
        #expect(LogTarget.auto.resolved(environment: ["JOURNAL_STREAM": "64769:123456"], standardError: nil) == .stderr)
    }

    @Test func readsTheRealStandardError() async throws {
        // stat(1), run with this process's stderr, reports the device and inode of what its
        // own stderr is (a terminal, a pipe, a file): the same file.
        let printed = try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/stat")
            process.arguments = ["-L", "-c", "%d:%i", "/proc/self/fd/2"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return printed.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let identity = try #require(FileIdentity.standardError())
        #expect(printed == "\(identity.device):\(identity.inode)")
        let environment = ["JOURNAL_STREAM": "\(identity.device):\(identity.inode)"]
        #expect(LogTarget.auto.resolved(environment: environment, standardError: FileIdentity.standardError()) == .journal)
    }

    @Test func parsesTheCommandLineSpelling() {
        #expect(LogTarget(rawValue: "auto") == .auto)
        #expect(LogTarget(rawValue: "journal") == .journal)
        #expect(LogTarget(rawValue: "stderr") == .stderr)
        #expect(LogTarget(rawValue: "syslog") == nil)
    }
}
