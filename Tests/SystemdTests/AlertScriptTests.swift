#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Model
import Systemd
import Testing

extension PrivateJournalTests {
    /// The tests of deploy/systemd/alert-on-failed below, run under the private journald.
    static let alertScriptTests = [
        "alertScriptRunsTheCommandOncePerFailedEntry", "alertScriptIgnoresOtherEntries",
        "alertScriptDoesNotRepeatAnEntryAfterARestart", "alertScriptRetriesAnEntryWhoseCommandFailed",
        "alertScriptHandlesEntriesWrittenWhileItWasStopped", "alertScriptStartsAfterACursorThatDoesNotMatch",
        "alertScriptHandlesEntriesOfAnEarlierBoot", "alertScriptStartsAfterTheNewestEntryTheFirstTime",
        "alertScriptStopsCleanlyDuringTheAlertCommand", "alertScriptStopsCleanlyWhileFollowing",
        "alertScriptReadsTheJournalAsAMemberOfSystemdJournal",
    ]
}

extension PrivateJournalTests.InsidePrivateJournald {
    /// Entries after the cursor and entries written while the script follows the journal each
    /// reach the command once, with the entry as JSON on stdin and its fields in ALERT_*.
    @Test func alertScriptRunsTheCommandOncePerFailedEntry() async throws {
        let alert = try AlertScript()
        let token = UUID().uuidString.lowercased()
        _ = try await alert.startAfterHandledEntry(token: token)
        let first = try SampleEvents.event(.failed, token: token + "-1")
        // A MESSAGE over 4096 bytes: journalctl writes such a field as null unless told --all.
        var second = try SampleEvents.event(.failed, token: token + "-2")
        second.failureMessage = String(repeating: "Kinesis said no. ", count: 300)
        try await alert.write([first, second])

        let process = try alert.start()
        #expect(try await alert.waitUntilHandled(second, by: process), "\(alert.log())")
        // Written while it follows: no restart, no polling interval to wait for.
        let third = try SampleEvents.event(.failed, token: token + "-3")
        try await alert.write([third])
        #expect(try await alert.waitUntilHandled(third, by: process), "\(alert.log())")
        #expect(await alert.stop(process) == 0, "\(alert.log())")

        #expect(alert.alerts() == [first, second, third].map(AlertScript.line))
        var entries: [[String: [String]]] = []
        for event in [first, second, third] {
            entries.append(try #require(try await Journalctl.entries(["--all", "EVENT_ID=\(event.identity)"]).first))
        }
        // ALERT_MESSAGE is the field's value, decoded (the sentence quotes the pool's name).
        #expect(alert.recorded("messages") == entries.map { $0["MESSAGE"]?.first ?? "" })
        #expect(entries[1]["MESSAGE"]?.first.map { $0.utf8.count > 4096 } == true)
        let stdin = try alert.recorded("json").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(stdin.map { $0["EVENT_ID"] as? String } == [first, second, third].map(\.identity))
        #expect(stdin.map { $0["MESSAGE"] as? String } == entries.map { $0["MESSAGE"]?.first })
        #expect(stdin.allSatisfy { $0["MESSAGE_ID"] as? String == JournalMessageID.id(for: .failed) })
        try PrivateJournalTests.markCompleted()
    }

    /// Entries of other kinds, and FAILED ids written by another program, are not alerted on.
    @Test func alertScriptIgnoresOtherEntries() async throws {
        let alert = try AlertScript()
        let token = UUID().uuidString.lowercased()
        _ = try await alert.startAfterHandledEntry(token: token)
        let process = try alert.start()
        let impostor = try SampleEvents.event(.failed, token: token + "-impostor")
        try JournalWriter().send(EventJournalEntry.fields(for: impostor, syslogIdentifier: "another-program"))
        try await alert.write([
            try SampleEvents.event(.succeeded, token: token), try SampleEvents.event(.stalled, token: token),
            try SampleEvents.event(.pollFailing, token: token),
        ])
        // Entries are handled in order: once this one is, the ones before it were passed over.
        let failed = try SampleEvents.event(.failed, token: token)
        try await alert.write([failed])
        #expect(try await alert.waitUntilHandled(failed, by: process), "\(alert.log())")
        #expect(await alert.stop(process) == 0, "\(alert.log())")
        #expect(alert.alerts() == [AlertScript.line(failed)])

        // ALERT_MESSAGE_IDS chooses the kinds.
        let stalledOnly = try AlertScript(settings: ["ALERT_MESSAGE_IDS": JournalMessageID.id(for: .stalled)])
        _ = try await stalledOnly.startAfterHandledEntry(token: token + "-s")
        let stalled = try SampleEvents.event(.stalled, token: token + "-s")
        try await stalledOnly.write([try SampleEvents.event(.failed, token: token + "-s"), stalled])
        let second = try stalledOnly.start()
        #expect(try await stalledOnly.waitUntilHandled(stalled, by: second), "\(stalledOnly.log())")
        #expect(await stalledOnly.stop(second) == 0)
        #expect(stalledOnly.alerts() == [AlertScript.line(stalled)])
        try PrivateJournalTests.markCompleted()
    }

    /// A restart goes on after the last entry handled: nothing twice.
    @Test func alertScriptDoesNotRepeatAnEntryAfterARestart() async throws {
        let alert = try AlertScript()
        let token = UUID().uuidString.lowercased()
        _ = try await alert.startAfterHandledEntry(token: token)
        let first = try SampleEvents.event(.failed, token: token + "-1")
        try await alert.write([first])
        let process = try alert.start()
        #expect(try await alert.waitUntilHandled(first, by: process), "\(alert.log())")
        #expect(await alert.stop(process) == 0)

        let restarted = try alert.start()
        let second = try SampleEvents.event(.failed, token: token + "-2")
        try await alert.write([second])
        #expect(try await alert.waitUntilHandled(second, by: restarted), "\(alert.log())")
        #expect(await alert.stop(restarted) == 0)
        #expect(alert.alerts() == [first, second].map(AlertScript.line))
        try PrivateJournalTests.markCompleted()
    }

    /// A failing command ends the script with status 1 and leaves the cursor before its entry:
    /// the restart alerts on it, and on what came after it, once.
    @Test func alertScriptRetriesAnEntryWhoseCommandFailed() async throws {
        let alert = try AlertScript(command: #"[ -e "$OUT.ok" ] || exit 3; "# + AlertScript.recordingCommand)
        let token = UUID().uuidString.lowercased()
        let handled = try await alert.startAfterHandledEntry(token: token)
        let first = try SampleEvents.event(.failed, token: token + "-1")
        let second = try SampleEvents.event(.failed, token: token + "-2")
        try await alert.write([first, second])

        let failing = try alert.start()
        #expect(await alert.waitForExit(failing) == 1, "\(alert.log())")
        #expect(alert.cursor() == handled)
        #expect(alert.log().contains("the alert command failed (status 3) for \(first.identity)"))
        #expect(alert.alerts().isEmpty)

        try Data().write(to: alert.output.appendingPathExtension("ok"))
        let restarted = try alert.start()
        #expect(try await alert.waitUntilHandled(second, by: restarted), "\(alert.log())")
        #expect(await alert.stop(restarted) == 0)
        #expect(alert.alerts() == [first, second].map(AlertScript.line))
        try PrivateJournalTests.markCompleted()
    }

    /// What was written while the script was stopped is handled when it starts: more than the
    /// 10 entries `journalctl --follow` shows at first by default, without waiting for the
    /// journal to change again. (journald is paused meanwhile, so that nothing it writes, not
    /// even a file header, wakes journalctl.)
    @Test func alertScriptHandlesEntriesWrittenWhileItWasStopped() async throws {
        let alert = try AlertScript()
        let token = UUID().uuidString.lowercased()
        _ = try await alert.startAfterHandledEntry(token: token)
        let backlog = try (1...12).map { try SampleEvents.event(.failed, token: "\(token)-\($0)") }
        try await alert.write(backlog)
        var cursors: [String] = []
        for event in backlog { cursors.append(try await AlertScript.cursor(of: event)) }
        let journald = try #require(ProcessInfo.processInfo.environment["PRIVATE_JOURNALD_PID"].flatMap { pid_t($0) })
        try #require(kill(journald, SIGSTOP) == 0)
        let process: Subprocess
        do {
            defer { kill(journald, SIGCONT) }
            process = try alert.start()
            #expect(await alert.waitFor(process) { alert.cursor() == cursors[11] }, "\(alert.log())")
        }
        #expect(await alert.stop(process) == 0)
        #expect(alert.alerts() == backlog.map(AlertScript.line))
        try PrivateJournalTests.markCompleted()
    }

    /// systemd issue 30288: journalctl before 255 skips the first matching entry after a cursor
    /// whose own entry does not match the filter (`--after-cursor`, `--cursor-file`). A cursor
    /// file may hold one: the first start's, or one written with other ALERT_MESSAGE_IDS.
    @Test func alertScriptStartsAfterACursorThatDoesNotMatch() async throws {
        let alert = try AlertScript()
        let token = UUID().uuidString.lowercased()
        let succeeded = try SampleEvents.event(.succeeded, token: token)
        try await alert.write([succeeded])
        try alert.setCursor(try await AlertScript.cursor(of: succeeded))
        let failed = try SampleEvents.event(.failed, token: token)
        let later = try SampleEvents.event(.failed, token: token + "-later")
        try await alert.write([failed, later])
        let process = try alert.start()
        #expect(try await alert.waitUntilHandled(later, by: process), "\(alert.log())")
        #expect(await alert.stop(process) == 0)
        #expect(alert.alerts() == [failed, later].map(AlertScript.line))
        try PrivateJournalTests.markCompleted()
    }

    /// An entry written before a reboot and not yet handled is handled after it: `journalctl
    /// --follow` alone reads only the current boot. (The script runs with another boot ID in
    /// /proc, as after a reboot; journald keeps writing with the real one.)
    @Test func alertScriptHandlesEntriesOfAnEarlierBoot() async throws {
        let alert = try AlertScript()
        let token = UUID().uuidString.lowercased()
        _ = try await alert.startAfterHandledEntry(token: token)
        let beforeReboot = try SampleEvents.event(.failed, token: token)
        try await alert.write([beforeReboot])
        let bootID = alert.state.appendingPathComponent("boot_id")
        try (UUID().uuidString.lowercased() + "\n").write(to: bootID, atomically: true, encoding: .utf8)
        let unshare = try #require(Subprocess.locate(["/usr/bin/unshare", "/bin/unshare"]))
        let process = try alert.start(
            through: [unshare, "--mount", "--propagation", "private", "/bin/sh", "-c",
                      #"mount --bind "$1" /proc/sys/kernel/random/boot_id && exec "$0""#],
            arguments: [bootID.path]
        )
        #expect(try await alert.waitUntilHandled(beforeReboot, by: process), "\(alert.log())")
        #expect(await alert.stop(process) == 0)
        #expect(alert.alerts() == [AlertScript.line(beforeReboot)])
        try PrivateJournalTests.markCompleted()
    }

    /// Without a cursor file, everything so far counts as seen (the newest entry, here not one it
    /// alerts on, becomes the cursor at once), and what comes next is alerted on.
    @Test func alertScriptStartsAfterTheNewestEntryTheFirstTime() async throws {
        let alert = try AlertScript()
        let token = UUID().uuidString.lowercased()
        let old = try SampleEvents.event(.failed, token: token + "-old")
        let newest = try SampleEvents.event(.succeeded, token: token)
        try await alert.write([old, newest])
        let process = try alert.start()
        let newestCursor = try await AlertScript.cursor(of: newest)
        #expect(await alert.waitFor(process) { alert.cursor() == newestCursor }, "\(alert.log())")
        let next = try SampleEvents.event(.failed, token: token + "-next")
        try await alert.write([next])
        #expect(try await alert.waitUntilHandled(next, by: process), "\(alert.log())")
        #expect(await alert.stop(process) == 0)
        #expect(alert.alerts() == [AlertScript.line(next)])
        try PrivateJournalTests.markCompleted()
    }

    /// A stop while the alert command runs (systemd signals the script and everything it
    /// started) ends the script with status 0, and the entry stays after the cursor, to be
    /// alerted on after the restart. A SIGTERM to the script alone ends the command too.
    /// (A command killed by a signal with no stop following it counts as failed.)
    @Test func alertScriptStopsCleanlyDuringTheAlertCommand() async throws {
        for order in ["command first", "script first", "script alone"] {
            let started = FileManager.default.temporaryDirectory.appendingPathComponent("started-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: started) }
            let alert = try AlertScript(command: #"touch "$STARTED"; sleep 30 & wait"#, settings: ["STARTED": started.path])
            let token = UUID().uuidString.lowercased()
            let cursor = try await alert.startAfterHandledEntry(token: token)
            try await alert.write([try SampleEvents.event(.failed, token: token + "-pending")])

            let process = try alert.start()
            #expect(await alert.waitFor(process) { FileManager.default.fileExists(atPath: started.path) }, "the alert command never started")
            let command = Self.descendants(of: process.pid)
            // As systemd stops a unit: SIGTERM to the script and to every process below it (the
            // main process first, but a script must not count on that).
            switch order {
            case "command first": for pid in command + [process.pid] { kill(pid, SIGTERM) }
            case "script first": for pid in [process.pid] + command { kill(pid, SIGTERM) }
            default: process.terminate()
            }
            #expect(await process.wait() == 0, "a stop is not a failure (\(order))\n\(alert.log())")
            #expect(alert.cursor() == cursor, "the interrupted entry stays after the cursor")
            #expect(await alert.waitFor(nil) { command.allSatisfy { !Self.isAlive($0) } },
                    "the command or the journalctl it read from outlived the script")
        }
        try PrivateJournalTests.markCompleted()
    }

    /// A stop while it waits for entries, as systemd sends it (the script and journalctl both get
    /// SIGTERM, in either order) or to the script alone, ends it with status 0, journalctl too.
    @Test func alertScriptStopsCleanlyWhileFollowing() async throws {
        let alert = try AlertScript(command: "true")
        _ = try await alert.startAfterHandledEntry(token: UUID().uuidString.lowercased())
        for order in ["journalctl first", "script first", "script alone"] {
            let process = try alert.start()
            var journalctl: [pid_t] = []
            #expect(await alert.waitFor(process) {
                journalctl = Self.descendants(of: process.pid).filter {
                    (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)) == "journalctl\n"
                }
                return !journalctl.isEmpty
            }, "the script never started journalctl")
            switch order {
            case "journalctl first": for pid in journalctl + [process.pid] { kill(pid, SIGTERM) }
            case "script first": for pid in [process.pid] + journalctl { kill(pid, SIGTERM) }
            default: process.terminate()
            }
            #expect(await process.wait() == 0, "a stop is not a failure (\(order))\n\(alert.log())")
            #expect(await alert.waitFor(nil) { journalctl.allSatisfy { !Self.isAlive($0) } }, "journalctl outlived the script (\(order))")
        }
        try PrivateJournalTests.markCompleted()
    }

    /// As a user in the systemd-journal group (as the unit runs it), the script reads the
    /// journal, also across a rotation, when the journal's folder is set-group-ID
    /// systemd-journal (as systemd-tmpfiles makes it). It warns when the folder is not: journald
    /// would start files of group root at the next rotation, which the group cannot read.
    @Test func alertScriptReadsTheJournalAsAMemberOfSystemdJournal() async throws {
        let group = try #require(getgrnam("systemd-journal")?.pointee.gr_gid, "no systemd-journal group")
        let machineID = try String(contentsOfFile: "/etc/machine-id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        // The private journald's folders are made with mkdir, root's alone; given to the group
        // here (in this mount namespace only), and back to root afterwards.
        let folder = "/run/log/journal/\(machineID)"
        func journalFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).map { folder + "/" + $0 }
        }
        func give(to owner: gid_t, folderMode: mode_t) {
            for path in ["/run/log/journal", folder] + journalFiles() { chown(path, 0, owner) }
            chmod(folder, folderMode)
        }
        // The empty folders over /run/log and /var/log/journal (mktemp's, 0700) open to others,
        // as the real ones are.
        for path in ["/run/log", "/var/log/journal"] { chmod(path, 0o755) }
        defer {
            give(to: 0, folderMode: 0o750)
            for path in ["/run/log", "/var/log/journal"] { chmod(path, 0o700) }
        }
        give(to: group, folderMode: 0o750)

        let alert = try AlertScript()
        chmod(alert.state.path, 0o777)
        let token = UUID().uuidString.lowercased()
        _ = try await alert.startAfterHandledEntry(token: token)
        let member = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--groups=\(group)", "--"]
        let first = try SampleEvents.event(.failed, token: token + "-1")
        try await alert.write([first])
        let warned = try alert.start(through: member)
        #expect(try await alert.waitUntilHandled(first, by: warned), "\(alert.log())")
        #expect(await alert.stop(warned) == 0)
        #expect(alert.log().contains("warning: \(folder) does not give new journal files a group of this user"), "\(alert.log())")

        give(to: group, folderMode: 0o2750)
        let process = try alert.start(through: member)
        try #require(try await Subprocess.run(Journalctl.path(), ["--rotate"]).status == 0)
        let second = try SampleEvents.event(.failed, token: token + "-2")
        try await alert.write([second])
        #expect(try await alert.waitUntilHandled(second, by: process), "\(alert.log())")
        #expect(await alert.stop(process) == 0)
        #expect(alert.alerts() == [first, second].map(AlertScript.line))
        // The one warning is the first run's.
        #expect(alert.log().components(separatedBy: "warning:").count == 2, "\(alert.log())")
        try PrivateJournalTests.markCompleted()
    }

    /// Whether `pid` runs (a process that ended but was not reaped yet does not).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return false }
        return !stat[end...].hasPrefix(") Z")
    }

    static func descendants(of pid: pid_t) -> [pid_t] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let children = tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { pid_t($0) }
        }
        return children + children.flatMap { descendants(of: $0) }
    }
}

/// deploy/systemd/alert-on-failed with a state directory of its own (removed with it), run
/// against the private journal.
final class AlertScript {
    static let path = PrivateJournalTests.packageRoot.appendingPathComponent("deploy/systemd/alert-on-failed").path
    /// Appends the entry (stdin) to alerts.json, "ALERT_EVENT_ID ALERT_POOL_NAME" to alerts and
    /// ALERT_MESSAGE to alerts.messages.
    static let recordingCommand =
        #"cat >> "$OUT.json"; printf '%s %s\n' "$ALERT_EVENT_ID" "$ALERT_POOL_NAME" >> "$OUT"; "#
        + #"printf '%s\n' "$ALERT_MESSAGE" >> "$OUT.messages""#
    /// How long a wait for the script may take before the test fails; not a delay any test relies on.
    static let deadline = Duration.seconds(20)

    let state: URL
    let sink = JournalEventSink()
    private let environment: [String: String]
    private let logFile: FileHandle

    var cursorFile: URL { state.appendingPathComponent("cursor") }
    var output: URL { state.appendingPathComponent("alerts") }

    init(command: String = recordingCommand, settings: [String: String] = [:]) throws {
        state = FileManager.default.temporaryDirectory.appendingPathComponent("alert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let log = state.appendingPathComponent("log")
        try Data().write(to: log)
        logFile = try FileHandle(forWritingTo: log)
        var environment = ProcessInfo.processInfo.environment
        environment["STATE_DIRECTORY"] = state.path
        environment["ALERT_COMMAND"] = command
        environment["OUT"] = state.appendingPathComponent("alerts").path
        environment.merge(settings) { _, new in new }
        self.environment = environment
    }

    deinit {
        try? logFile.close()
        try? FileManager.default.removeItem(at: state)
    }

    /// The line ``recordingCommand`` writes for `event`.
    static func line(_ event: WatchEvent) -> String { "\(event.identity) orders" }

    /// The journal cursor of `event`'s entry.
    static func cursor(of event: WatchEvent) async throws -> String {
        try #require(try await Journalctl.entries(["EVENT_ID=\(event.identity)"]).first?["__CURSOR"]?.first)
    }

    /// Writes `events` and waits until journald has stored them.
    func write(_ events: [WatchEvent]) async throws {
        try sink.deliver(events)
        try await Journalctl.sync()
    }

    func setCursor(_ cursor: String) throws {
        try (cursor + "\n").write(to: cursorFile, atomically: true, encoding: .utf8)
    }

    /// The cursor the script saved last.
    func cursor() -> String? {
        (try? String(contentsOf: cursorFile, encoding: .utf8)).map { $0.trimmingCharacters(in: .newlines) }
    }

    /// Writes a FAILED entry and saves its cursor, as an earlier run of the script that handled
    /// it would have; returns the cursor.
    func startAfterHandledEntry(token: String) async throws -> String {
        let handled = try SampleEvents.event(.failed, token: token + "-handled")
        try await write([handled])
        let cursor = try await Self.cursor(of: handled)
        try setCursor(cursor)
        return cursor
    }

    /// Starts the script, its output going to the log; `through` runs it (as its last argument
    /// before `arguments`) through another program that ends by exec'ing it.
    func start(through launcher: [String] = [], arguments: [String] = []) throws -> Subprocess {
        let command = launcher + [Self.path] + arguments
        return try Subprocess.spawn(command[0], Array(command.dropFirst()), environment: environment, output: logFile.fileDescriptor)
    }

    /// Waits until `condition` holds, or `process` (if any) ended, or the deadline passed;
    /// whether it holds.
    func waitFor(_ process: Subprocess?, _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + Self.deadline
        while !condition() {
            guard process?.isRunning ?? true, ContinuousClock.now < end else { return condition() }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Waits until the script has handled `event`: it saves an entry's cursor only after the
    /// alert command succeeded for it.
    func waitUntilHandled(_ event: WatchEvent, by process: Subprocess) async throws -> Bool {
        let cursor = try await Self.cursor(of: event)
        return await waitFor(process) { self.cursor() == cursor }
    }

    /// Waits for the script to end by itself: its exit status, or nil when it did not end in time
    /// (it is then stopped).
    func waitForExit(_ process: Subprocess) async -> Int32? {
        _ = await waitFor(process) { false }
        if process.isRunning {
            process.terminate()
            _ = await process.wait()
            return nil
        }
        return await process.wait()
    }

    /// Stops the script as `systemctl stop` would and returns its exit status.
    func stop(_ process: Subprocess) async -> Int32 {
        process.terminate()
        return await process.wait()
    }

    /// The lines the recording command wrote for each entry, in order.
    func alerts() -> [String] { lines(of: output) }

    /// The lines of alerts.`suffix` (json: the entries, messages: ALERT_MESSAGE).
    func recorded(_ suffix: String) -> [String] { lines(of: output.appendingPathExtension(suffix)) }

    func log() -> String {
        (try? String(contentsOf: state.appendingPathComponent("log"), encoding: .utf8)) ?? ""
    }

    private func lines(of file: URL) -> [String] {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
