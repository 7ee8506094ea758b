import ArgumentParser
import Model

/// `--region`, `--endpoint` and `--profile`: the same options on every command that calls AWS;
/// they win over the configuration file.
struct AWSOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("The region to call for every pool (default: the prefix of each pool id).", valueName: "region"))
    var region: String?

    @Option(help: ArgumentHelp("A custom endpoint URL, e.g. the simulator's http://127.0.0.1:4600.", valueName: "url"))
    var endpoint: String?

    @Option(help: ArgumentHelp("The profile of the shared AWS credentials and config files.", valueName: "name"))
    var profile: String?

    /// `options` with what was given on the command line laid over it.
    func applied(to options: AWSOptions) -> AWSOptions {
        var result = options
        if let region { result.region = region }
        if let endpoint { result.endpoint = endpoint }
        if let profile { result.profile = profile }
        return result
    }

    func validate() throws {
        if let region, region.wholeMatch(of: /[a-z]{2}(-[a-z]+)+-[0-9]+/) == nil {
            throw ValidationError("'\(region)' is not an AWS region name, e.g. us-east-1.")
        }
        if let profile, profile.isEmpty {
            throw ValidationError("--profile needs a name.")
        }
    }
}
