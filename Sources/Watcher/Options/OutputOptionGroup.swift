public import ArgumentParser
public import Logging
public import Systemd

/// `--log-target` and `--log-level`: where events and diagnostics go, and how much is said.
struct OutputOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Where events and diagnostics go: journal, stderr, or auto (the journal when stderr is connected to it, as under systemd).",
        valueName: "target"))
    var logTarget: LogTarget = .auto

    @Option(help: ArgumentHelp("The least severe diagnostics shown: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: Logger.Level = .info
}

extension LogTarget: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
