public import AWSSigning
/// Static keys from the `[profile]` section of the shared credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`), as botocore's
/// `SharedCredentialProvider` reads them.
///
/// Sections are named after the profile with no `profile ` prefix. A missing file, section or
/// `aws_access_key_id` means "not configured"; a malformed or unreadable file is an error.
public struct SharedCredentialsFileProvider: CredentialProvider {
    public var sourceName: String { "shared credentials file (profile \(profile))" }
    /// The profile whose section is read.
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
        self.init(profile: profile, path: SharedFileLocations(environment: environment).credentialsFile)
    }

    public func credentials() async throws -> AWSCredentials {
        try load()
    }

    func load() throws(CredentialError) -> AWSCredentials {
        guard let path else {
            throw .notConfigured(sourceName, "no HOME and no AWS_SHARED_CREDENTIALS_FILE, so no file to read")
        }
        let file = try LoadedINIFile.load(path, source: sourceName)
        guard let contents = file.contents else {
            throw .notConfigured(sourceName, "\(path) does not exist")
        }
        guard let section = contents[section: profile] else {
            throw .notConfigured(sourceName, "\(path) has no [\(profile)] section")
        }
        guard let credentials = try StaticProfileKeys.credentials(
            in: section, location: "[\(profile)] in \(path)", source: sourceName)
        else {
            throw .notConfigured(sourceName, "[\(profile)] in \(path) has no aws_access_key_id")
        }
        return credentials
    }
}
