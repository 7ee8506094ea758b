import AWSClient
import AWSCore
import AWSCredentialProviders
import ArgumentParser
import Foundation
import Model

/// `check-config`: validates a configuration and shows what would be watched.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print what would be watched.",
        discussion: """
            Every problem is reported at once, each with its JSON path and a hint. The trust, proxy \
            and retry settings in force are shown too, from the file, the environment \
            (AWS_CA_BUNDLE, HTTPS_PROXY, NO_PROXY, AWS_MAX_ATTEMPTS…) and the AWS profile, with the \
            way out to each region's endpoint; a CA bundle that cannot be read or a proxy URL that \
            does not parse is an error here too. Exits 0 when the configuration is valid and 2 \
            when it is not (or cannot be read).

            Examples:
              cognito-sync-watcher check-config config.example.json
              cognito-sync-watcher check-config --config /etc/cognito-sync-watcher/config.json
            """
    )

    @Argument(help: ArgumentHelp("The configuration file (default: $CONFIGURATION_DIRECTORY/config.json, else /etc/cognito-sync-watcher/config.json).", valueName: "path"))
    var path: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The configuration file, as the other commands take it.", valueName: "path"))
    var config: String?

    func validate() throws {
        if let path, let config, path != config {
            throw ValidationError("two configuration files given ('\(path)' and --config '\(config)'); check one at a time.")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let path = path ?? config ?? ConfigurationFile.defaultPath(environment: environment)
        let configuration: WatcherConfiguration
        let settings: ClientSettings
        do {
            configuration = try ConfigurationFile.load(path: path)
        } catch {
            throw CommandFailure(.usage, "\(error)")
        }
        do {
            settings = try ClientSettings.resolve(aws: configuration.aws, environment: environment)
        } catch {
            throw CommandFailure(.usage, "\(path) is valid, but these settings cannot be used:\n" + error.problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        print(ConfigurationSummary(configuration: configuration, path: path, settings: settings, environment: environment).text)
    }
}
