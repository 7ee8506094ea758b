import ArgumentParser
import Foundation
import Model

/// The `cognito-sync-watcher` command: a daemon and one-shot tools for Cognito Sync bulk publish.
@main
struct CognitoSyncWatcher: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cognito-sync-watcher",
        abstract: "Watch Amazon Cognito Sync bulk publish runs and report them to systemd and the journal.",
        discussion: """
            New here? 'cognito-sync-watcher demo' shows the watcher at work against a \
            built-in simulator, without an AWS account.

            Examples:
              cognito-sync-watcher demo
              cognito-sync-watcher status --config /etc/cognito-sync-watcher/config.json
              cognito-sync-watcher daemon-status
              cognito-sync-watcher wait --start --timeout 2h POOL_ID
              cognito-sync-watcher run --config /etc/cognito-sync-watcher/config.json

            Shell completion: cognito-sync-watcher --generate-completion-script bash
            (or zsh, fish); scripts/completions writes all three.

            \(ExitStatus.helpText)
            """,
        version: BuildInfo.versionDescription,
        subcommands: [
            RunCommand.self, StatusCommand.self, DaemonStatusCommand.self, WaitCommand.self, CheckConfigCommand.self,
            SimulateCommand.self, DemoCommand.self,
        ]
    )

    /// Runs the chosen subcommand; failures print one `error:` line on stderr and exit with the
    /// documented status (usage errors with 2, not the parser's 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            // Before the first task: the daemon's tasks must never touch a global queue.
            if command is RunCommand { DaemonConcurrency.runTasksOnEventLoops() }
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
                FileHandle.standardError.write(Data("error: \(usageSentence(for: error))\n".utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }

    /// The parser's complaint as one sentence that points at the help of the command in use.
    private static func usageSentence(for error: any Error) -> String {
        var text = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        if let newline = text.firstIndex(of: "\n") { text = String(text[..<newline]) }
        if text.hasSuffix(".") { text.removeLast() }
        let arguments = CommandLine.arguments.dropFirst()
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        let command = arguments.first { names.contains($0) }.map { "\(BuildInfo.name) \($0)" } ?? BuildInfo.name
        return "\(text); see '\(command) --help' for usage."
    }
}
