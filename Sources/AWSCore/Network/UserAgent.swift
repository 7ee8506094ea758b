import Model

/// The `User-Agent` every request of ours sends: `cognito-sync-watcher/VERSION (Linux; Swift)`,
/// naming the project so a service owner can tell its traffic apart.
public enum UserAgent {
    public static let value = "\(BuildInfo.name)/\(BuildInfo.version) (Linux; Swift)"
}
