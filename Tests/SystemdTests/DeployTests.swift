import Daemon
import Foundation
import Model
import Systemd
import Testing

/// The files under deploy/systemd and the scripts that check and install them.
struct DeployTests {
    static let root = PrivateJournalTests.packageRoot

    @Test func unitPassesVerifyAndSecurityChecks() async throws {
        let result = try await Subprocess.run(Self.root.appendingPathComponent("scripts/check-unit").path, [])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("ok: systemd-analyze security exposure"))
        #expect(result.output.contains("ok: the message catalog compiles (8 entries)"))
    }

    /// The daemon plans its stop around the unit's TimeoutStopSec=: the two must not drift apart.
    @Test func theStopBudgetFollowsTheUnitsStopTimeout() throws {
        let unit = try String(contentsOf: Self.root.appendingPathComponent("deploy/systemd/cognito-sync-watcher.service"), encoding: .utf8)
        let settings = unit.split(separator: "\n").filter { $0.hasPrefix("TimeoutStopSec=") }
        #expect(settings == ["TimeoutStopSec=\(StopBudget.unitStopTimeout.components.seconds)s"])
        #expect(StopBudget.pollGracePeriod < StopBudget.total && StopBudget.total < StopBudget.unitStopTimeout)
    }

    /// The daemon's view for daemon-status: the runtime directory the command reads, readable by
    /// the admin group the package makes, and at no cost in exposure.
    @Test func theUnitLetsTheAdminGroupReadTheDaemonsView() async throws {
        let unitFile = Self.root.appendingPathComponent("deploy/systemd/cognito-sync-watcher.service")
        let unit = try String(contentsOf: unitFile, encoding: .utf8)
        let lines = unit.split(separator: "\n").map(String.init)
        let group = DaemonViewLocation.adminGroup
        for line in [
            "DynamicUser=yes", "Group=\(group)", "RuntimeDirectory=\(URL(fileURLWithPath: DaemonViewLocation.unitDirectory).lastPathComponent)",
            "RuntimeDirectoryMode=0750", "StateDirectoryMode=0700", "UMask=0077",
        ] {
            #expect(lines.contains(line), "the unit lacks \(line)")
        }
        #expect(!lines.contains { $0.hasPrefix("SupplementaryGroups=") }, "a supplementary group costs exposure; the unit uses Group=")
        #expect(!lines.contains { $0.hasPrefix("RuntimeDirectoryPreserve=") }, "the folder must go with the service: no file, not running")

        let sysusers = try String(contentsOf: Self.root.appendingPathComponent("deploy/systemd/cognito-sync-watcher.sysusers"), encoding: .utf8)
        #expect(sysusers.split(separator: "\n").contains("g \(group) -"))
        let postinst = try String(contentsOf: Self.root.appendingPathComponent("deploy/debian/postinst"), encoding: .utf8)
        #expect(postinst.contains("systemd-sysusers ${DPKG_ROOT:+--root=\"$DPKG_ROOT\"} cognito-sync-watcher.conf"))

        // systemd-analyze security scores the unit as it is and without these lines alike.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let without = scratch.appendingPathComponent("without-view.service")
        try lines.filter { !$0.hasPrefix("Group=") && !$0.hasPrefix("RuntimeDirectory") }.joined(separator: "\n")
            .write(to: without, atomically: true, encoding: .utf8)
        func exposure(_ file: URL) async throws -> String? {
            let result = try await Subprocess.run("/usr/bin/env", ["systemd-analyze", "security", "--offline=yes", "--no-pager", file.path])
            return result.output.firstMatch(of: /Overall exposure level for [^:]*: ([0-9.]+)/).map { String($0.1) }
        }
        let with = try await exposure(unitFile)
        #expect(with != nil)
        #expect(with == (try await exposure(without)))
    }

    @Test func catalogExplainsEveryMessageID() throws {
        let catalog = try CatalogFile(contentsOf: PrivateJournalTests.catalogPath)
        let ids = Set(WatchEvent.Kind.allCases.map(JournalMessageID.id(for:)))
        #expect(Set(catalog.entries.keys) == ids)
        for (id, entry) in catalog.entries {
            #expect(entry.headers["Defined-By"] == "cognito-sync-watcher", "\(id)")
            #expect(entry.headers["Support"]?.isEmpty == false, "\(id)")
            #expect(entry.headers["Subject"]?.contains("@IDENTITY_POOL_ID@") == true, "\(id)")
        }
    }

    @Test func alertScriptFollowsTheFailedMessageID() throws {
        let script = try String(contentsOf: Self.root.appendingPathComponent("deploy/systemd/alert-on-failed"), encoding: .utf8)
        #expect(script.contains("FAILED_ID = \"\(JournalMessageID.id(for: .failed))\"\n"))
        #expect(script.contains("IDENTIFIER = \"\(EventJournalEntry.syslogIdentifier)\"\n"))
    }

    @Test func installsIntoADestdir() async throws {
        let destdir = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: destdir) }
        let install = Self.root.appendingPathComponent("scripts/install").path
        let first = try await Subprocess.run(install, ["--destdir", destdir.path, "--binary", "/bin/true", "--no-reload"])
        try #require(first.status == 0, "\(first.output)")

        func path(_ file: String) -> String { destdir.path + file }
        func mode(_ file: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path(file))[.posixPermissions] as? Int)
        }
        #expect(try mode("/usr/local/bin/cognito-sync-watcher") == 0o755)
        #expect(try mode("/etc/systemd/system/cognito-sync-watcher.service") == 0o644)
        #expect(try mode("/etc/systemd/system/cognito-sync-watcher-alert.service") == 0o644)
        #expect(try mode("/usr/local/lib/cognito-sync-watcher/alert-on-failed") == 0o755)
        #expect(try mode("/usr/local/lib/cognito-sync-watcher/hooks/post-webhook") == 0o755)
        #expect(try mode("/usr/local/lib/cognito-sync-watcher/hooks/send-mail") == 0o755)
        #expect(try mode("/usr/local/lib/systemd/catalog/cognito-sync-watcher.catalog") == 0o644)
        #expect(try mode("/usr/local/lib/sysusers.d/cognito-sync-watcher.conf") == 0o644)
        #expect(try mode("/usr/local/share/doc/cognito-sync-watcher/README.md") == 0o644)
        #expect(try mode("/etc/cognito-sync-watcher/config.json") == 0o644)
        #expect(FileManager.default.contentsEqual(
            atPath: path("/etc/systemd/system/cognito-sync-watcher.service"),
            andPath: Self.root.appendingPathComponent("deploy/systemd/cognito-sync-watcher.service").path
        ))

        // journalctl --update-catalog ran against the destdir: its database lists every id.
        let listed = try await Journalctl.text(["--root=\(destdir.path)", "--list-catalog"])
        for kind in WatchEvent.Kind.allCases {
            #expect(listed.contains(JournalMessageID.id(for: kind) + " cognito-sync-watcher: "), "\(kind)")
        }

        // A second install keeps the operator's configuration.
        try "{\"pools\": []}".write(toFile: path("/etc/cognito-sync-watcher/config.json"), atomically: true, encoding: .utf8)
        let second = try await Subprocess.run(install, ["--destdir", destdir.path, "--binary", "/bin/true", "--no-reload"])
        try #require(second.status == 0, "\(second.output)")
        #expect(try String(contentsOfFile: path("/etc/cognito-sync-watcher/config.json"), encoding: .utf8) == "{\"pools\": []}")
        #expect(second.output.contains("/etc/cognito-sync-watcher/config.json exists, left as it is"))
    }

    @Test func installFollowsAnotherPrefix() async throws {
        let destdir = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: destdir) }
        let result = try await Subprocess.run(
            Self.root.appendingPathComponent("scripts/install").path,
            ["--destdir", destdir.path, "--prefix", "/opt/watcher", "--binary", "/bin/true", "--no-reload"]
        )
        try #require(result.status == 0, "\(result.output)")
        let unit = try String(contentsOfFile: destdir.path + "/etc/systemd/system/cognito-sync-watcher.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/watcher/bin/cognito-sync-watcher run "))
        #expect(unit.contains("Documentation=file:///opt/watcher/share/doc/cognito-sync-watcher/README.md"))
        #expect(!unit.contains("/usr/local"))
        let alert = try String(contentsOfFile: destdir.path + "/etc/systemd/system/cognito-sync-watcher-alert.service", encoding: .utf8)
        #expect(alert.contains("ExecStart=/opt/watcher/lib/cognito-sync-watcher/alert-on-failed"))
        #expect(FileManager.default.isExecutableFile(atPath: destdir.path + "/opt/watcher/bin/cognito-sync-watcher"))
    }

    @Test func installRefusesUnknownOptions() async throws {
        let result = try await Subprocess.run(Self.root.appendingPathComponent("scripts/install").path, ["--frobnicate"])
        #expect(result.status == 2)
        #expect(result.output.contains("unknown option '--frobnicate'"))
    }
}
