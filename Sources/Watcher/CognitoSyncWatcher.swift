import ArgumentParser
import Foundation
import Model

/// The `cognito-sync-watcher` command: a daemon and one-shot tools for Cognito Sync bulk publish.
@main
struct CognitoSyncWatcher: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cognito-sync-watcher",
        abstract: "Watch Amazon Cognito Sync bulk publish runs and report them to systemd and the journal.",
        discussion: ExitStatus.helpText,
        version: BuildInfo.version,
        subcommands: [RunCommand.self, StatusCommand.self, CheckConfigCommand.self, SimulateCommand.self]
    )

    /// Runs the chosen subcommand; failures print one `error:` line on stderr and exit with the
    /// documented status (usage errors with 2, not the parser's 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            Foundation.exit(failure.status.rawValue)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
