import ArgumentParser
import Foundation
import Model

/// `check-config`: validates a configuration and shows what would be watched.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print what would be watched.",
        discussion: """
            Every problem is reported at once, each with its JSON path and a hint. Exits 0 when the \
            configuration is valid and 2 when it is not.

            Examples:
              cognito-sync-watcher check-config config.example.json
              cognito-sync-watcher check-config /etc/cognito-sync-watcher/config.json
            """
    )

    @Argument(help: "The configuration file (default: $CONFIGURATION_DIRECTORY/config.json, else /etc/cognito-sync-watcher/config.json).")
    var path: String?

    func run() throws {
        let path = path ?? ConfigurationFile.defaultPath(environment: ProcessInfo.processInfo.environment)
        let configuration: WatcherConfiguration
        do {
            configuration = try ConfigurationFile.load(path: path)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        print(ConfigurationSummary(configuration: configuration, path: path).text)
    }
}
