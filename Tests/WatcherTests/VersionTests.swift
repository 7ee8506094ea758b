import Foundation
import Testing
import ProcessSupport

/// The version a build carries (`VERSION` and the commit, from `scripts/build-version` through the
/// BuildVersion plugin) and what `--version` shows.
struct VersionTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static var release: String {
        get throws {
            try String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func theBinaryShowsTheVersionOfItsBuild() async throws {
        let scratch = try ScratchDirectory()
        let output = try await Watcher.run(["--version"], home: scratch.url)
        #expect(output.status == 0, "\(output)")
        let shown = output.stdout.trimmingCharacters(in: .newlines)
        let release = try Self.release
        #expect(shown.hasPrefix(release + "+"), "\(shown)")
        // A commit (maybe with uncommitted changes), or plainly no commit, with the reason.
        #expect(shown.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+\+(g[0-9a-f]{7,}(\.dirty)?|unknown \(.+\))/) != nil, "\(shown)")
    }

    @Test func aCheckoutGivesTheCommitAndItsUncommittedChanges() async throws {
        let scratch = try ScratchDirectory()
        let checkout = try Self.copyOfTheScript(in: scratch)
        try await Self.git(["init", "-q"], in: checkout)
        try await Self.git(["add", "."], in: checkout)
        try await Self.git(["-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "first"], in: checkout)
        let commit = try await Self.git(["rev-parse", "--short", "HEAD"], in: checkout)
        let release = try Self.release

        #expect(try await Self.buildVersion(in: checkout).stdout == "\(release)+g\(commit)\n")
        // An untracked file is not a change of the build's sources (as git describe --dirty).
        try "notes".write(to: checkout.appendingPathComponent("untracked.txt"), atomically: true, encoding: .utf8)
        #expect(try await Self.buildVersion(in: checkout).stdout == "\(release)+g\(commit)\n")
        try "9.8.7\n".write(to: checkout.appendingPathComponent("VERSION"), atomically: true, encoding: .utf8)
        #expect(try await Self.buildVersion(in: checkout).stdout == "9.8.7+g\(commit).dirty\n")
    }

    @Test func aBuildOutsideGitSaysSoPlainly() async throws {
        let scratch = try ScratchDirectory()
        let copy = try Self.copyOfTheScript(in: scratch)
        let swiftFile = scratch.url.appendingPathComponent("generated/BuildVersion.generated.swift")
        let output = try await Self.buildVersion(in: copy, ["--swift", swiftFile.path])
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout == "\(try Self.release)+unknown\n")
        #expect(output.stderr.contains("built outside a git checkout of the project, so the commit is unknown"), "\(output)")
        let source = try String(contentsOf: swiftFile, encoding: .utf8)
        #expect(source.contains("static let version = \"\(try Self.release)+unknown\""))
        #expect(source.contains("static let note: String? = \"built outside a git checkout of the project, so the commit is unknown\""))
    }

    @Test(arguments: ["1.2", "v0.2.0", "0.2.0-rc1", ""])
    func aVersionFileThatIsNoReleaseNumberIsRefused(content: String) async throws {
        let scratch = try ScratchDirectory()
        let copy = try Self.copyOfTheScript(in: scratch)
        try content.write(to: copy.appendingPathComponent("VERSION"), atomically: true, encoding: .utf8)
        let output = try await Self.buildVersion(in: copy)
        #expect(output.status == 1)
        #expect(output.stderr.contains("it must be a release number MAJOR.MINOR.PATCH, e.g. 0.2.0"), "\(output)")
    }

    /// VERSION and scripts/build-version, alone in a folder of `scratch`.
    private static func copyOfTheScript(in scratch: ScratchDirectory) throws -> URL {
        let copy = scratch.url.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: copy.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("VERSION"), to: copy.appendingPathComponent("VERSION"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("scripts/build-version"), to: copy.appendingPathComponent("scripts/build-version"))
        return copy
    }

    private static func buildVersion(in project: URL, _ arguments: [String] = []) async throws -> ChildProcess.Output {
        let child = try ChildProcess.start("/bin/sh", [project.appendingPathComponent("scripts/build-version").path] + arguments, environment: environment(project))
        return await child.finish()
    }

    @discardableResult
    private static func git(_ arguments: [String], in project: URL) async throws -> String {
        let child = try ChildProcess.start("/usr/bin/git", ["-C", project.path] + arguments, environment: environment(project))
        let output = await child.finish()
        try #require(output.status == 0, "git \(arguments): \(output)")
        return output.stdout.trimmingCharacters(in: .newlines)
    }

    /// No user or system git configuration (HOME is the scratch folder).
    private static func environment(_ project: URL) -> [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": project.deletingLastPathComponent().path, "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8"]
    }
}
