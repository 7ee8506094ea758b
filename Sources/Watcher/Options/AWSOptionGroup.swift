import ArgumentParser
import Model

/// `--region`, `--endpoint`, `--profile` and `--ca-bundle`: the same options on every command
/// that calls AWS; they win over the configuration file.
struct AWSOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("The region to call for every pool (default: the prefix of each pool id).", valueName: "region"))
    var region: String?

    @Option(help: ArgumentHelp("A custom endpoint URL, e.g. the simulator's https://127.0.0.1:4600.", valueName: "url"))
    var endpoint: String?

    @Option(help: ArgumentHelp("The profile of the shared AWS credentials and config files.", valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("A PEM file of the CAs to trust instead of the system's (beats AWS_CA_BUNDLE and the profile's ca_bundle).", valueName: "path"))
    var caBundle: String?

    /// `options` with what was given on the command line laid over it.
    func applied(to options: AWSOptions) -> AWSOptions {
        var result = options
        if let region { result.region = region }
        if let endpoint { result.endpoint = endpoint }
        if let profile { result.profile = profile }
        if let caBundle { result.caBundle = caBundle }
        return result
    }

    func validate() throws {
        if let region, region.wholeMatch(of: /[a-z]{2}(-[a-z]+)+-[0-9]+/) == nil {
            throw ValidationError("'\(region)' is not an AWS region name, e.g. us-east-1.")
        }
        if let profile, profile.isEmpty {
            throw ValidationError("--profile needs a name.")
        }
        if let caBundle, caBundle.isEmpty {
            throw ValidationError("--ca-bundle needs the path of a PEM file.")
        }
    }
}
