#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
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

    @Test func readsTheRealStandardError() throws {
        // stat(2) of /proc/self/fd/2 follows the link to whatever stderr is (a terminal, a pipe,
        // a file): the same device and inode fstat(2) must report.
        var info = stat()
        try #require(stat("/proc/self/fd/2", &info) == 0)
        let identity = try #require(FileIdentity.standardError())
        #expect(identity == FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
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
