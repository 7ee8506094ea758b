/// Facts about this build that several layers show: the CLI's `--version`, the User-Agent, the
/// daemon's start-up line, the Debian package's version.
public enum BuildInfo {
    /// The version: the release number in `VERSION`, then `+g<commit>` (with `.dirty` when tracked
    /// files had changes not committed), or `+unknown` for a build outside a git checkout. Written
    /// at build time by the BuildVersion plugin (`scripts/build-version`).
    public static let version = GeneratedBuildVersion.version
    /// Why the version names no commit (`+unknown`), or nil.
    public static let versionNote = GeneratedBuildVersion.note
    /// What `--version` prints: the version, and for a build outside git the reason, plainly.
    public static var versionDescription: String {
        versionNote.map { "\(version) (\($0))" } ?? version
    }
    /// The name the tool goes by in user agents, journal entries and messages.
    public static let name = "cognito-sync-watcher"
}
