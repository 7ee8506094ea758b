/// Facts about this build that several layers show: the CLI's `--version`, the User-Agent.
public enum BuildInfo {
    /// The release version.
    public static let version = "0.1.0"
    /// The name the tool goes by in user agents, journal entries and messages.
    public static let name = "cognito-sync-watcher"
}
