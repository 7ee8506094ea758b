import ArgumentParser
import Daemon
import Foundation
import Model

/// `daemon-status`: what the running daemon last saw of each pool, from its status file; no
/// call to AWS.
struct DaemonStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon-status",
        abstract: "Show what the running daemon last saw of each pool, without calling AWS.",
        discussion: """
            Reads the status file the daemon keeps up to date (rewritten soon after a pool \
            changes and at least every 30 seconds): each pool's status, its run's start and \
            end, the last successful poll, the last poll error and the next poll. Says plainly \
            when the daemon is not running or its view is stale, and how old the view is.

            The file is /run/cognito-sync-watcher/status.json under the packaged service, \
            readable by root and the group cognito-sync-watcher-admin; for a daemon run by hand, \
            it is in the configuration's runtimeDirectory, else its state directory.

            Examples:
              cognito-sync-watcher daemon-status
              cognito-sync-watcher daemon-status --json | jq '.pools[].status'
              cognito-sync-watcher daemon-status --config config.json

            Exit status: 0 when the daemon is running and its view is fresh; 6 when it is not \
            running, its view is stale, or the file cannot be used; 2 for usage errors and when \
            the file may not be read.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The daemon's configuration, for where a daemon run outside systemd writes the file (default: $CONFIGURATION_DIRECTORY/config.json, else /etc/cognito-sync-watcher/config.json, if readable).",
        valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("The folder of the status file (default: /run/cognito-sync-watcher, else the configuration's runtimeDirectory or state directory).", valueName: "dir"))
    var runtimeDirectory: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let report = try DaemonViewSearch.report(candidates(), now: Date())
        print(json ? report.json() : report.text())
        guard report.verdict == .running else { throw ExitCode(ExitStatus.daemonNotRunning.rawValue) }
    }

    private func candidates() throws(CommandFailure) -> [URL] {
        if let runtimeDirectory {
            return [URL(fileURLWithPath: runtimeDirectory, isDirectory: true).appendingPathComponent(DaemonView.fileName)]
        }
        let configuration: WatcherConfiguration?
        if let config {
            do {
                configuration = try ConfigurationFile.load(path: config)
            } catch {
                throw CommandFailure(.usage, "\(error)")
            }
        } else {
            // Optional here: without it, the defaults say where a daemon run by hand writes.
            configuration = try? ConfigurationFile.load(path: ConfigurationFile.defaultPath(environment: ProcessInfo.processInfo.environment))
        }
        return DaemonViewLocation.candidates(for: configuration)
    }
}
