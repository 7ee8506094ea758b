import ArgumentParser

/// The pools a one-shot command works on and where their settings come from: pool ids as
/// arguments, `--config`, and the AWS options. `status` and `wait` share it, so they select
/// pools the same way.
struct PoolOptionGroup: ParsableArguments {
    @Argument(help: ArgumentHelp("Identity pool ids (default: the configuration's pools).", valueName: "pool"))
    var pools: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("The configuration file to take pools and AWS settings from.", valueName: "path"))
    var config: String?

    @OptionGroup var aws: AWSOptionGroup

    /// The pools named, or the configuration's, with the AWS options laid over the configuration.
    func selection(environment: [String: String]) throws(CommandFailure) -> PoolSelection {
        try PoolSelection(arguments: pools, configPath: config, aws: aws, environment: environment)
    }
}
