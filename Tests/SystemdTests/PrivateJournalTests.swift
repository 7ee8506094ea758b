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
        "eventsRoundTrip", "diagnosticsRoundTrip", "alertScriptRunsCommandPerFailedEntry",
        "alertScriptStopsCleanlyDuringTheAlertCommand", "alertScriptStopsCleanlyWhileWaiting", "deliveryFailsWithoutJournald",
    ]

    @Test(.enabled(if: !isInsidePrivateJournald))
    func runsUnderAPrivateJournald() throws {
        let script = Self.packageRoot.appendingPathComponent("scripts/with-private-journald").path
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent("journal-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: marks, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: marks) }
        var environment = ProcessInfo.processInfo.environment
        environment["PRIVATE_JOURNALD_TEST_MARKS"] = marks.path
        let result = try Subprocess.run(
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
        @Test func eventsRoundTrip() throws {
            let token = UUID().uuidString.lowercased()
            let events = try SampleEvents.all(token: token)
            try JournalEventSink().deliver(events)
            try Journalctl.sync()

            let catalog = try CatalogFile(contentsOf: PrivateJournalTests.catalogPath)
            for event in events {
                let entries = try Journalctl.entries(["EVENT_ID=\(event.identity)"])
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
                let explained = try Journalctl.text(["-x", "-o", "short", "EVENT_ID=\(event.identity)"])
                #expect(explained.contains("Subject: " + CatalogFile.substitute(subject, entry)), "\(explained)")
                #expect(explained.contains("Defined-By: cognito-sync-watcher"))
                // journalctl prints a field the entry lacks as its bare name: every field the
                // catalog text names must be in the entry.
                let text = ([subject] + (catalog.entries[id]?.body ?? [])).joined(separator: "\n")
                for name in CatalogFile.placeholders(in: text) {
                    #expect(entry[name] != nil, "the catalog text of \(event.kind) uses @\(name)@, which the entry lacks")
                }
            }

            try checkTheForgeryAttempt(token: token)
            try checkPriorities(events)
            try PrivateJournalTests.markCompleted()
        }

        /// The failure message carries `\nPRIORITY=0\nMESSAGE_ID=…`: the entry keeps its own.
        private func checkTheForgeryAttempt(token: String) throws {
            let failed = try Journalctl.entries(["EVENT_KIND=failed", "EVENT_ID=\(SampleEvents.poolIDText)/\(token)/failed"])
            #expect(failed.count == 1)
            #expect(failed.first?["PRIORITY"] == ["3"])
            #expect(failed.first?["MESSAGE_ID"] == [JournalMessageID.id(for: .failed)])
            #expect(try Journalctl.entries(["MESSAGE_ID=00000000000000000000000000000001"]).isEmpty)
            #expect(try Journalctl.entries(["PRIORITY=0"]).isEmpty)
            let explained = try Journalctl.text(["-x", "-o", "short", "EVENT_KIND=failed"])
            #expect(explained.contains("The service gave this reason: Stream write failed PRIORITY=0"))
        }

        /// `journalctl -p` selects by severity: a FAILED run at err, stalls and errors at warning.
        private func checkPriorities(_ events: [WatchEvent]) throws {
            func kinds(atOrAbove priority: String) throws -> Set<String> {
                Set(try Journalctl.entries(["-p", priority, "SYSLOG_IDENTIFIER=cognito-sync-watcher"])
                    .compactMap { $0["EVENT_KIND"]?.first })
            }
            #expect(try kinds(atOrAbove: "err") == ["failed"])
            #expect(try kinds(atOrAbove: "warning") == ["failed", "stalled", "anomaly", "unrecognizedStatus", "pollFailing"])
            #expect(try kinds(atOrAbove: "notice") == Set(events.map(\.kind.rawValue)))
        }

        /// swift-log diagnostics through ``JournalLogHandler``.
        @Test func diagnosticsRoundTrip() throws {
            let token = UUID().uuidString.lowercased()
            var logger = Logger(label: "watcher.test") { JournalLogHandler(label: $0) }
            logger.logLevel = .trace
            logger[metadataKey: "test.token"] = "\(token)"
            logger.error("poll failed\nfor pool", metadata: ["pool.id": "\(SampleEvents.poolIDText)", "priority": "0"])
            let line = #line - 1
            logger.debug("routine poll")
            logger.critical("state directory is not writable")
            try Journalctl.sync()

            let entries = try Journalctl.entries(["TEST_TOKEN=\(token)"])
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
        @Test func deliveryFailsWithoutJournald() throws {
            let events = try SampleEvents.all(token: UUID().uuidString)
            // This runs in the private mount namespace: hiding the socket affects nobody else.
            let mountProgram = try #require(Subprocess.locate(["/usr/bin/mount", "/bin/mount"]))
            let umountProgram = try #require(Subprocess.locate(["/usr/bin/umount", "/bin/umount"]))
            let mount = try Subprocess.run(mountProgram, ["-t", "tmpfs", "tmpfs", "/run/systemd/journal"])
            try #require(mount.status == 0, "\(mount.output)")
            defer { _ = try? Subprocess.run(umountProgram, ["/run/systemd/journal"]) }
            #expect(throws: JournalError(errno: ENOENT)) {
                try JournalEventSink().deliver(events)
            }
            try PrivateJournalTests.markCompleted()
        }
    
        /// A stop while the alert command runs (systemd signals the script and everything it
        /// started) ends the script with status 0, and the entry stays after the cursor, to be
        /// alerted on after the restart.
        @Test func alertScriptStopsCleanlyDuringTheAlertCommand() throws {
            let state = try Self.alertState()
            defer { try? FileManager.default.removeItem(at: state) }
            let token = UUID().uuidString.lowercased()
            let sink = JournalEventSink()
            let cursor = try Self.startAfterHandledEntry(state: state, token: token, sink: sink)
            let cursorFile = state.appendingPathComponent("cursor")
            try sink.deliver([try SampleEvents.event(.failed, token: token + "-pending")])
            try Journalctl.sync()

            let started = state.appendingPathComponent("started")
            let environment = Self.alertEnvironment(state: state, [
                "ALERT_COMMAND": #"touch "$STARTED"; exec sleep 30"#, "STARTED": started.path, "ALERT_POLL_SECONDS": "1",
            ])
            let process = try Subprocess.spawn(Self.alertScript.path, [], environment: environment, output: STDERR_FILENO)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, process.isRunning, !FileManager.default.fileExists(atPath: started.path) {
                usleep(20_000)
            }
            #expect(FileManager.default.fileExists(atPath: started.path), "the alert command never started")
            // As systemd stops a unit: SIGTERM to the script and to every process below it.
            for pid in Self.descendants(of: process.pid) + [process.pid] { kill(pid, SIGTERM) }
            #expect(process.wait() == 0, "a stop is not a failure")
            #expect(try String(contentsOf: cursorFile, encoding: .utf8) == cursor + "\n", "the interrupted entry stays after the cursor")
            try PrivateJournalTests.markCompleted()
        }

        /// A stop between two reads of the journal, as systemd sends it (the script and its
        /// sleep both get SIGTERM, in either order), ends the script with status 0. (The tightest
        /// race, the sleep reaped while the trap runs, showed under systemd: scripts/system-test
        /// stops the unit for real.)
        @Test func alertScriptStopsCleanlyWhileWaiting() throws {
            let state = try Self.alertState()
            defer { try? FileManager.default.removeItem(at: state) }
            let environment = Self.alertEnvironment(state: state, ["ALERT_COMMAND": "true", "ALERT_POLL_SECONDS": "60"])
            for sleepFirst in [true, false] {
                let process = try Subprocess.spawn(Self.alertScript.path, [], environment: environment, output: STDERR_FILENO)
                let deadline = ContinuousClock.now + .seconds(20)
                var sleeper: [pid_t] = []
                while ContinuousClock.now < deadline, process.isRunning, sleeper.isEmpty {
                    sleeper = Self.descendants(of: process.pid).filter {
                        (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)) == "sleep\n"
                    }
                    usleep(20_000)
                }
                #expect(!sleeper.isEmpty, "the script never went to sleep")
                let order = sleepFirst ? sleeper + [process.pid] : [process.pid] + sleeper
                for pid in order { kill(pid, SIGTERM) }
                #expect(process.wait() == 0, "a stop is not a failure (sleep signalled first: \(sleepFirst))")
            }
            try PrivateJournalTests.markCompleted()
        }

        static let alertScript = PrivateJournalTests.packageRoot.appendingPathComponent("deploy/systemd/alert-on-failed")

        /// A fresh state directory for one run of the alert script; the caller removes it.
        static func alertState() throws -> URL {
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("alert-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            return state
        }

        /// This process's environment with the alert script's settings.
        static func alertEnvironment(state: URL, _ settings: [String: String]) -> [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["STATE_DIRECTORY"] = state.path
            environment.merge(settings) { _, new in new }
            return environment
        }

        /// The journal cursor of `event`'s entry.
        static func cursor(of event: WatchEvent) throws -> String {
            try #require(try Journalctl.entries(["EVENT_ID=\(event.identity)"]).first?["__CURSOR"]?.first)
        }

        /// Sends a FAILED entry and saves its cursor in `state`, as an earlier run of the script
        /// that handled it would have; returns the cursor.
        static func startAfterHandledEntry(state: URL, token: String, sink: JournalEventSink) throws -> String {
            let handled = try SampleEvents.event(.failed, token: token + "-handled")
            try sink.deliver([handled])
            try Journalctl.sync()
            let cursor = try cursor(of: handled)
            try (cursor + "\n").write(to: state.appendingPathComponent("cursor"), atomically: true, encoding: .utf8)
            return cursor
        }

        static func descendants(of pid: pid_t) -> [pid_t] {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let children = tasks.flatMap { task in
                ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                    .split(separator: " ").compactMap { pid_t($0) }
            }
            return children + children.flatMap { descendants(of: $0) }
        }

        /// deploy/systemd/alert-on-failed runs the alert command once per FAILED entry after its cursor,
        /// and moves the cursor past each entry it handled.
        @Test func alertScriptRunsCommandPerFailedEntry() throws {
            let state = try Self.alertState()
            defer { try? FileManager.default.removeItem(at: state) }
            let token = UUID().uuidString.lowercased()
            let sink = JournalEventSink()
            _ = try Self.startAfterHandledEntry(state: state, token: token, sink: sink)

            let first = try SampleEvents.event(.failed, token: token + "-1")
            let second = try SampleEvents.event(.failed, token: token + "-2")
            try sink.deliver([first, try SampleEvents.event(.succeeded, token: token), try SampleEvents.event(.stalled, token: token), second])

            let output = state.appendingPathComponent("alerts")
            let environment = Self.alertEnvironment(state: state, [
                "ALERT_COMMAND": #"cat >> "$OUT.json"; printf '%s %s\n' "$ALERT_EVENT_ID" "$ALERT_POOL_NAME" >> "$OUT""#,
                "OUT": output.path,
            ])
            let log = try FileHandle(forWritingTo: try Self.emptyFile(state.appendingPathComponent("log")))
            defer { try? log.close() }
            let cursorFile = state.appendingPathComponent("cursor")

            /// Runs the script until it has handled `event` (its cursor is saved only after the
            /// alert command succeeded), within bounds; returns the script's exit status.
            func runScript(until event: WatchEvent, whenStarted: () throws -> Void = {}) throws -> Int32 {
                let process = try Subprocess.spawn(Self.alertScript.path, [], environment: environment, output: log.fileDescriptor)
                try whenStarted()
                try Journalctl.sync()
                let cursor = try Self.cursor(of: event)
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline, process.isRunning,
                      (try? String(contentsOf: cursorFile, encoding: .utf8)) != cursor + "\n" {
                    usleep(20_000)
                }
                process.terminate()
                let status = process.wait()
                #expect(try String(contentsOf: cursorFile, encoding: .utf8) == cursor + "\n")
                return status
            }
            func alerts() -> [String] {
                ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            }
            func scriptLog() -> String {
                (try? String(contentsOf: state.appendingPathComponent("log"), encoding: .utf8)) ?? ""
            }

            #expect(try runScript(until: second) == 0, "\(scriptLog())")
            #expect(alerts() == ["\(first.identity) orders", "\(second.identity) orders"])

            // Restarted, it goes on after its cursor: the new entry only, nothing twice.
            let third = try SampleEvents.event(.failed, token: token + "-3")
            try sink.deliver([third])
            #expect(try runScript(until: third) == 0, "\(scriptLog())")
            #expect(alerts() == ["\(first.identity) orders", "\(second.identity) orders", "\(third.identity) orders"])

            // A first start (no cursor yet) counts everything so far as seen and alerts on what
            // comes next, also when the newest entry is not one it alerts on: journalctl before
            // systemd 255 skips the first match after a cursor whose own entry does not match
            // (systemd issue 30288), which the script must not trip over.
            try FileManager.default.removeItem(at: cursorFile)
            try sink.deliver([try SampleEvents.event(.succeeded, token: token + "-4")])
            try Journalctl.sync()
            let fourth = try SampleEvents.event(.failed, token: token + "-4")
            #expect(try runScript(until: fourth, whenStarted: {
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline, !FileManager.default.fileExists(atPath: cursorFile.path) {
                    usleep(20_000)
                }
                try sink.deliver([fourth])
            }) == 0, "\(scriptLog())")
            #expect(alerts() == [first, second, third, fourth].map { "\($0.identity) orders" })

            let json = try String(contentsOf: URL(fileURLWithPath: output.path + ".json"), encoding: .utf8)
            let alerted = try json.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(alerted.map { $0["MESSAGE_ID"] as? String } == Array(repeating: JournalMessageID.id(for: .failed), count: 4))
            try PrivateJournalTests.markCompleted()
        }

        private static func emptyFile(_ url: URL) throws -> URL {
            try Data().write(to: url)
            return url
        }
    }
}
