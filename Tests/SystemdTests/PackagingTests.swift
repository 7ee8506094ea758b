import Foundation
import Testing

/// The pieces of the Debian package that can be checked without building it: the changelog made
/// from CHANGELOG.md, the maintainer scripts, scripts/package's options. (scripts/test builds the
/// package, runs lintian on it and installs, upgrades and purges it in scripts/system-test.)
struct PackagingTests {
    static let root = PrivateJournalTests.packageRoot

    private static var release: String {
        get throws {
            try String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func theChangelogHasAnEntryForTheRelease() throws {
        let changelog = try String(contentsOf: Self.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let newest = changelog.split(separator: "\n").first { $0.hasPrefix("## ") }
        let release = try Self.release
        #expect(newest?.hasPrefix("## \(release) — ") == true, "VERSION says \(release), CHANGELOG.md's newest entry is \(newest ?? "missing")")
    }

    @Test func theDebianChangelogIsMadeFromIt() async throws {
        let version = try Self.release + "+g1a2b3c4"
        let result = try await Subprocess.run("/usr/bin/env", [
            "python3", Self.root.appendingPathComponent("scripts/lib/debian-changelog").path,
            Self.root.appendingPathComponent("CHANGELOG.md").path, version, "Someone <someone@example.org>", "1764935000",
        ])
        try #require(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "cognito-sync-watcher (\(version)) unstable; urgency=medium")
        #expect(lines.contains(" -- Someone <someone@example.org>  Fri, 05 Dec 2025 11:43:20 +0000"))
        #expect(lines.contains { $0.hasPrefix("cognito-sync-watcher (0.1.0) unstable;") })
        for line in lines {
            #expect(line.count <= 80, "too long for a Debian changelog: \(line)")
            #expect(line.isEmpty || line.hasPrefix("cognito-sync-watcher (") || line.hasPrefix("  * ") || line.hasPrefix("    ") || line.hasPrefix(" -- "), "\(line)")
        }
    }

    @Test func aVersionOfAnotherReleaseIsRefused() async throws {
        let result = try await Subprocess.run("/usr/bin/env", [
            "python3", Self.root.appendingPathComponent("scripts/lib/debian-changelog").path,
            Self.root.appendingPathComponent("CHANGELOG.md").path, "7.0.0+g1a2b3c4", "Someone <someone@example.org>", "1764935000",
        ])
        #expect(result.status == 1)
        #expect(result.output.contains("is not of the newest release in"), "\(result.output)")
    }

    @Test(arguments: ["postinst", "prerm", "postrm"])
    func maintainerScriptsArePOSIXShell(name: String) async throws {
        let path = Self.root.appendingPathComponent("deploy/debian/\(name)").path
        #expect(FileManager.default.isExecutableFile(atPath: path))
        let result = try await Subprocess.run("/bin/sh", ["-n", path])
        #expect(result.status == 0, "\(result.output)")
        let script = try String(contentsOfFile: path, encoding: .utf8)
        #expect(script.hasPrefix("#!/bin/sh\n"))
        #expect(script.contains("\nset -e\n"))
    }

    @Test(arguments: [
        (["--version-suffix", "-1"], "does not fit in a Debian version"),
        (["--systemd", "new"], "--systemd takes systemd's version number"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
    ])
    func packageRefusesBadOptions(arguments: [String], message: String) async throws {
        let result = try await Subprocess.run(Self.root.appendingPathComponent("scripts/package").path, arguments)
        #expect(result.status == 2)
        #expect(result.output.contains(message), "\(result.output)")
    }
}
