import ArgumentParser
import Foundation
import Logging
import Systemd

/// `run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the watcher daemon: poll every configured pool and report bulk publish events.",
        discussion: """
            Meant to run as a systemd service (Type=notify): it sends READY=1 once the configuration \
            is loaded and the state restored, a one-line STATUS, watchdog pings while it makes \
            progress, and writes one structured journal entry per event. SIGHUP reloads the \
            configuration (an invalid one is reported and the old one kept); SIGTERM and SIGINT \
            stop it after polls in flight finish.

            Examples:
              cognito-sync-watcher run --config /etc/cognito-sync-watcher/config.json
              cognito-sync-watcher run --config config.json --log-target stderr \\
                  --endpoint https://127.0.0.1:4600
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The configuration file (default: $CONFIGURATION_DIRECTORY/config.json, else /etc/cognito-sync-watcher/config.json).", valueName: "path"))
    var config: String?

    @Flag(help: ArgumentHelp(
        "Take what AWS shows as known for pools without saved state: a run that had already finished is recorded, not reported.",
        discussion: "For the first start on pools that have run bulk publishes before: their last outcomes are not news."))
    var baseline = false

    @OptionGroup var aws: AWSOptionGroup
    @OptionGroup var output: OutputOptionGroup

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let destination = Output(target: output.logTarget, environment: environment)
        destination.bootstrapLogging(level: output.logLevel)
        let logger = Logger(label: "cognito-sync-watcher")
        let runner = DaemonRunner(
            configurationPath: config ?? ConfigurationFile.defaultPath(environment: environment),
            awsOverrides: aws, output: destination, environment: environment,
            notifier: SystemdNotifier(logger: logger), logger: logger, baseline: baseline
        )
        try await runner.run()
    }
}
