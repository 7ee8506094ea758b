import ArgumentParser
import Model

/// The `cognito-sync-watcher` command: a daemon and one-shot tools for Cognito Sync bulk publish.
@main
struct CognitoSyncWatcher: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cognito-sync-watcher",
        abstract: "Watch Amazon Cognito Sync bulk publish runs and report them to systemd and the journal.",
        version: BuildInfo.version,
        subcommands: [CheckConfigCommand.self]
    )
}
