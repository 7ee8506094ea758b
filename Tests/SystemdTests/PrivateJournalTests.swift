#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Logging
import Model
import Systemd
import Testing

/// Entries written with libsystemd and read back with journalctl, through a private journald.
///
/// `swift test` runs ``runsUnderAPrivateJournald()``, which starts this same test binary under
/// `scripts/with-private-journald` (a mount namespace with its own journald, the catalog
/// installed) with a filter for ``InsidePrivateJournald``, whose tests only run there. Without
/// root or mount namespaces the outer test fails with the script's explanation.
struct PrivateJournalTests {
    static let isInsidePrivateJournald = ProcessInfo.processInfo.environment["PRIVATE_JOURNALD"] == "1"
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalogPath = packageRoot.appendingPathComponent("deploy/systemd/cognito-sync-watcher.catalog").path

    /// The tests of ``InsidePrivateJournald``, each of which leaves a mark when it completed.
    static let insideTests = [
        "eventsRoundTrip", "diagnosticsRoundTrip", "deliveryFailsWithoutJournald",
    ] + alertScriptTests

    @Test(.enabled(if: !isInsidePrivateJournald))
    func runsUnderAPrivateJournald() async throws {
        let script = Self.packageRoot.appendingPathComponent("scripts/with-private-journald").path
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent("journal-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: marks, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: marks) }
        var environment = ProcessInfo.processInfo.environment
        environment["PRIVATE_JOURNALD_TEST_MARKS"] = marks.path
        let result = try await Subprocess.run(
            script,
            ["--catalog", Self.catalogPath, "--", testBinary,
             "--testing-library", "swift-testing", "--filter", "InsidePrivateJournald"],
            environment: environment
        )
        #expect(result.status == 0, "the journal tests under a private journald failed:\n\(result.output)")
        // Exit status 0 with no test run (a filter matching nothing) must not count as a pass.
        let completed = Set((try? FileManager.default.contentsOfDirectory(atPath: marks.path)) ?? [])
        #expect(completed == Set(Self.insideTests), "not every journal test ran under the private journald:\n\(result.output)")
    }

    /// Leaves the mark ``runsUnderAPrivateJournald()`` looks for.
    static func markCompleted(_ function: String = #function) throws {
        guard let marks = ProcessInfo.processInfo.environment["PRIVATE_JOURNALD_TEST_MARKS"] else { return }
        let name = String(function.prefix { $0 != "(" })
        try Data().write(to: URL(fileURLWithPath: marks).appendingPathComponent(name))
    }
}

extension PrivateJournalTests {
    /// Runs only under scripts/with-private-journald, one test at a time: one of them hides
    /// journald's socket for a moment.
    @Suite(.serialized, .enabled(if: isInsidePrivateJournald, "needs scripts/with-private-journald"))
    struct InsidePrivateJournald {
        @Test func eventsRoundTrip() async throws {
            let token = UUID().uuidString.lowercased()
            let events = try SampleEvents.all(token: token)
            try JournalEventSink().deliver(events)
            try await Journalctl.sync()

            let catalog = try CatalogFile(contentsOf: PrivateJournalTests.catalogPath)
            for event in events {
                let entries = try await Journalctl.entries(["EVENT_ID=\(event.identity)"])
                // A value with newlines must never split an entry or forge a second one.
                try #require(entries.count == 1, "\(event.kind): \(entries)")
                let entry = entries[0]
                let expected = EventJournalEntry.fields(for: event)
                for field in expected {
                    #expect(entry[field.name] == [field.value], "\(event.kind) \(field.name)")
                }
                #expect(entry["CODE_FILE"] == ["Systemd/JournalEventSink.swift"])
                #expect(entry["CODE_FUNC"] == ["deliver(_:)"])
                #expect(entry["CODE_LINE"]?.count == 1 && entry["CODE_LINE"].flatMap { Int($0[0]) } != nil)
                // Nothing else but journald's own (underscore) fields.
                let written = Set(expected.map(\.name) + ["CODE_FILE", "CODE_LINE", "CODE_FUNC"])
                let extra = entry.keys.filter { !$0.hasPrefix("_") && !written.contains($0) }
                #expect(extra.isEmpty, "\(event.kind) has unexpected fields \(extra)")

                // journalctl -x shows the catalog entry of the MESSAGE_ID with every @FIELD@ filled in.
                let id = JournalMessageID.id(for: event.kind)
                let subject = try #require(catalog.entries[id]?.headers["Subject"], "no catalog entry for \(event.kind)")
                let explained = try await Journalctl.text(["-x", "-o", "short", "EVENT_ID=\(event.identity)"])
                #expect(explained.contains("Subject: " + CatalogFile.substitute(subject, entry)), "\(explained)")
                #expect(explained.contains("Defined-By: cognito-sync-watcher"))
                // journalctl prints a field the entry lacks as its bare name: every field the
                // catalog text names must be in the entry.
                let text = ([subject] + (catalog.entries[id]?.body ?? [])).joined(separator: "\n")
                for name in CatalogFile.placeholders(in: text) {
                    #expect(entry[name] != nil, "the catalog text of \(event.kind) uses @\(name)@, which the entry lacks")
                }
            }

            try await checkTheForgeryAttempt(token: token)
            try await checkPriorities(events)
            try PrivateJournalTests.markCompleted()
        }

        /// The failure message carries `\nPRIORITY=0\nMESSAGE_ID=…`: the entry keeps its own.
        private func checkTheForgeryAttempt(token: String) async throws {
            let failed = try await Journalctl.entries(["EVENT_KIND=failed", "EVENT_ID=\(SampleEvents.poolIDText)/\(token)/failed"])
            #expect(failed.count == 1)
            #expect(failed.first?["PRIORITY"] == ["3"])
            #expect(failed.first?["MESSAGE_ID"] == [JournalMessageID.id(for: .failed)])
            #expect(try await Journalctl.entries(["MESSAGE_ID=00000000000000000000000000000001"]).isEmpty)
            #expect(try await Journalctl.entries(["PRIORITY=0"]).isEmpty)
            let explained = try await Journalctl.text(["-x", "-o", "short", "EVENT_KIND=failed"])
            #expect(explained.contains("The service gave this reason: Stream write failed PRIORITY=0"))
        }

        /// `journalctl -p` selects by severity: a FAILED run at err, stalls and errors at warning.
        private func checkPriorities(_ events: [WatchEvent]) async throws {
            func kinds(atOrAbove priority: String) async throws -> Set<String> {
                Set(try await Journalctl.entries(["-p", priority, "SYSLOG_IDENTIFIER=cognito-sync-watcher"])
                    .compactMap { $0["EVENT_KIND"]?.first })
            }
            #expect(try await kinds(atOrAbove: "err") == ["failed"])
            #expect(try await kinds(atOrAbove: "warning") == ["failed", "stalled", "anomaly", "unrecognizedStatus", "pollFailing"])
            #expect(try await kinds(atOrAbove: "notice") == Set(events.map(\.kind.rawValue)))
        }

        /// swift-log diagnostics through ``JournalLogHandler``.
        @Test func diagnosticsRoundTrip() async throws {
            let token = UUID().uuidString.lowercased()
            var logger = Logger(label: "watcher.test") { JournalLogHandler(label: $0) }
            logger.logLevel = .trace
            logger[metadataKey: "test.token"] = "\(token)"
            logger.error("poll failed\nfor pool", metadata: ["pool.id": "\(SampleEvents.poolIDText)", "priority": "0"])
            let line = #line - 1
            logger.debug("routine poll")
            logger.critical("state directory is not writable")
            try await Journalctl.sync()

            let entries = try await Journalctl.entries(["TEST_TOKEN=\(token)"])
            try #require(entries.count == 3, "\(entries)")
            let error = entries[0]
            #expect(error["MESSAGE"] == ["poll failed for pool"])
            #expect(error["PRIORITY"] == ["3"])
            #expect(error["POOL_ID"] == [SampleEvents.poolIDText])
            #expect(error["META_PRIORITY"] == ["0"])
            #expect(error["LOGGER"] == ["watcher.test"])
            #expect(error["SYSLOG_IDENTIFIER"] == ["cognito-sync-watcher"])
            #expect(error["CODE_FILE"] == ["SystemdTests/PrivateJournalTests.swift"])
            #expect(error["CODE_LINE"] == [String(line)])
            #expect(error["CODE_FUNC"] == ["diagnosticsRoundTrip()"])
            #expect(entries[1]["PRIORITY"] == ["7"])
            #expect(entries[2]["PRIORITY"] == ["2"])
            try PrivateJournalTests.markCompleted()
        }

        /// Without journald's socket, delivery must fail (libsystemd alone would report success).
        @Test func deliveryFailsWithoutJournald() async throws {
            let events = try SampleEvents.all(token: UUID().uuidString)
            // This runs in the private mount namespace: hiding the socket affects nobody else.
            let mountProgram = try #require(Subprocess.locate(["/usr/bin/mount", "/bin/mount"]))
            let umountProgram = try #require(Subprocess.locate(["/usr/bin/umount", "/bin/umount"]))
            let mount = try await Subprocess.run(mountProgram, ["-t", "tmpfs", "tmpfs", "/run/systemd/journal"])
            try #require(mount.status == 0, "\(mount.output)")
            #expect(throws: JournalError(errno: ENOENT)) {
                try JournalEventSink().deliver(events)
            }
            _ = try? await Subprocess.run(umountProgram, ["/run/systemd/journal"])
            try PrivateJournalTests.markCompleted()
        }
    }
}
