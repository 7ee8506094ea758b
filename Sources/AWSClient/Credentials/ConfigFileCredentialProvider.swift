public import AWSSigning
/// Static keys from a profile of the shared config file (`AWS_CONFIG_FILE`, default
/// `~/.aws/config`), as botocore's `ConfigProvider` reads them.
///
/// Profiles are `[profile name]`; the default profile may also be `[default]` (the later of the
/// two wins); a plain `[name]` section is not a profile there.
public struct ConfigFileCredentialProvider: CredentialProvider {
    public var sourceName: String { "config file (profile \(profile))" }
    /// The profile read.
    public let profile: String
    /// The file read, or nil when no path could be formed (no `HOME`).
    public let path: String?

    /// Reads `profile` from the file at `path`; the file is read again on every call.
    public init(profile: String, path: String?) {
        self.profile = profile
        self.path = path
    }

    /// Finds the file from `environment` as botocore does.
    public init(profile: String, environment: [String: String]) {
        self.init(profile: profile, path: SharedFileLocations(environment: environment).configFile)
    }

    public func credentials() async throws -> AWSCredentials {
        try load()
    }

    func load() throws(CredentialError) -> AWSCredentials {
        guard let path else {
            throw .notConfigured(sourceName, "no HOME and no AWS_CONFIG_FILE, so no file to read")
        }
        let file = try LoadedINIFile.load(path, source: sourceName)
        guard let contents = file.contents else {
            throw .notConfigured(sourceName, "\(path) does not exist")
        }
        let header = profile == "default" ? "[default]" : "[profile \(profile)]"
        guard let section = SharedProfiles.configProfiles(contents.sections)[profile] else {
            throw .notConfigured(sourceName, "\(path) has no \(header) section")
        }
        guard let credentials = try StaticProfileKeys.credentials(
            in: section, location: "\(header) in \(path)", source: sourceName)
        else {
            throw .notConfigured(sourceName, "\(header) in \(path) has no aws_access_key_id")
        }
        return credentials
    }
}
