public import Foundation
public import Model

/// Where the daemon's status file lives, for the daemon that writes it and for `daemon-status`,
/// which reads it: the one rule in one place.
public enum DaemonViewLocation {
    /// The packaged unit's `RuntimeDirectory=`: readable by the admin group while the service
    /// runs, gone when it stops.
    public static let unitDirectory = "/run/\(BuildInfo.name)"

    /// The group whose members may read the status file of the packaged service (its unit's
    /// `Group=`; the package creates it).
    public static let adminGroup = "\(BuildInfo.name)-admin"

    /// Where the daemon writes: systemd's `$RUNTIME_DIRECTORY` when the unit sets one, else the
    /// configuration's `runtimeDirectory`, else the state directory (which a daemon run by hand
    /// always has, and where a stopped daemon's last view stays).
    public static func daemonFile(configured: String?, environment: [String: String], stateDirectory: URL) -> URL {
        let directory: URL
        if let fromSystemd = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first {
            directory = URL(fileURLWithPath: String(fromSystemd), isDirectory: true)
        } else if let configured {
            directory = URL(fileURLWithPath: configured, isDirectory: true)
        } else {
            directory = stateDirectory
        }
        return directory.appendingPathComponent(DaemonView.fileName)
    }

    /// Where `daemon-status` looks, in order: the unit's runtime directory, then where a daemon
    /// run with `configuration` outside systemd writes.
    public static func candidates(for configuration: WatcherConfiguration?) -> [URL] {
        let unit = URL(fileURLWithPath: unitDirectory, isDirectory: true).appendingPathComponent(DaemonView.fileName)
        let stateDirectory = FileStateStore.directory(configured: configuration?.stateDirectory, environment: [:])
        let byHand = daemonFile(configured: configuration?.runtimeDirectory, environment: [:], stateDirectory: stateDirectory)
        return byHand.path == unit.path ? [unit] : [unit, byHand]
    }
}
