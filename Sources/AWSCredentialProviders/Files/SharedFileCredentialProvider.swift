import AWSCore
public import AWSSigning
/// Static keys from one profile of the shared credentials or config file, as botocore's
/// `SharedCredentialProvider` and `ConfigProvider` read them.
///
/// A missing or unreadable file (botocore skips both), section or `aws_access_key_id` means "not
/// configured"; a malformed file is an error.
public struct SharedFileCredentialProvider: CredentialProvider {
    /// Which of the two shared files is read: they name a profile's section differently.
    public enum File: Sendable {
        /// `AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`: sections are named after
        /// the profile with no `profile ` prefix.
        case credentials
        /// `AWS_CONFIG_FILE`, default `~/.aws/config`: profiles are `[profile name]`; the default
        /// profile may also be `[default]` (the later of the two wins); a plain `[name]` section is
        /// not a profile there.
        case config
    }

    public var sourceName: String {
        switch file {
        case .credentials: "shared credentials file (profile \(profile))"
        case .config: "config file (profile \(profile))"
        }
    }
    /// The kind of file read.
    public let file: File
    /// The profile read.
    public let profile: String
    /// The file's path, or nil when no path could be formed (no `HOME`).
    public let path: String?

    /// Reads `profile` from the file at `path`; the file is read again on every call.
    public init(_ file: File, profile: String, path: String?) {
        self.file = file
        self.profile = profile
        self.path = path
    }

    /// Finds the file from `environment` as botocore does.
    public init(_ file: File, profile: String, environment: [String: String]) {
        let locations = SharedFileLocations(environment: environment)
        self.init(file, profile: profile, path: file == .credentials ? locations.credentialsFile : locations.configFile)
    }

    public func credentials() async throws -> AWSCredentials {
        try load()
    }

    func load() throws(CredentialError) -> AWSCredentials {
        guard let path else {
            let variable = file == .credentials ? "AWS_SHARED_CREDENTIALS_FILE" : "AWS_CONFIG_FILE"
            throw .notConfigured(sourceName, "no HOME and no \(variable), so no file to read")
        }
        return try StaticProfileKeys.credentials(profile: profile, inFileAt: path, format: file, source: sourceName)
    }
}

extension SharedFileCredentialProvider.File {
    /// How the profile's section is written in the file, for messages.
    func header(for profile: String) -> String {
        switch self {
        case .credentials: "[\(profile)]"
        case .config: profile == "default" ? "[default]" : "[profile \(profile)]"
        }
    }

    /// The profile's keys in a parsed file of this kind.
    func section(for profile: String, in file: INIFile) -> [String: String]? {
        switch self {
        case .credentials: file[section: profile]
        case .config: SharedProfiles.configProfiles(file.sections)[profile]
        }
    }
}
