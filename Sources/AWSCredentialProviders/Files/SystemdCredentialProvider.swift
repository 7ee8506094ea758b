import AWSCore
public import AWSSigning
/// Keys handed to the service by systemd: `LoadCredential=aws-credentials:/etc/…/credentials`
/// (or `SetCredentialEncrypted=`) puts a file at `$CREDENTIALS_DIRECTORY/aws-credentials`.
///
/// The file has the shared credentials format (`[default]` or `[profile-name]` sections with
/// `aws_access_key_id`, `aws_secret_access_key`, optionally `aws_session_token`). systemd
/// credentials are not part of botocore; they are how a unit without a home gets secrets that
/// do not show up in `systemctl show` the way `Environment=` values do.
public struct SystemdCredentialProvider: CredentialProvider {
    /// The credential name used when none is configured.
    public static let defaultName = "aws-credentials"

    public var sourceName: String { "systemd credential \(name) (profile \(profile))" }
    /// The credential's name: the file under `$CREDENTIALS_DIRECTORY`.
    public let name: String
    /// The section read from the file.
    public let profile: String
    private let environment: [String: String]

    /// Reads `$CREDENTIALS_DIRECTORY/<name>` (taken from `environment`) on every call.
    public init(name: String = SystemdCredentialProvider.defaultName, profile: String, environment: [String: String]) {
        self.name = name
        self.profile = profile
        self.environment = environment
    }

    /// The file's path, or nil when `CREDENTIALS_DIRECTORY` is not set (not running under a unit
    /// with credentials) or the name is not a plain file name.
    public var path: String? {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty,
              !name.isEmpty, !name.contains("/"), name != ".", name != ".."
        else { return nil }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    public func credentials() async throws -> AWSCredentials {
        try load()
    }

    func load() throws(CredentialError) -> AWSCredentials {
        guard let path else {
            if name.isEmpty || name.contains("/") || name == "." || name == ".." {
                throw CredentialError(
                    .invalidConfiguration, source: sourceName,
                    message: "the credential name must be a plain file name, not a path")
            }
            throw .notConfigured(sourceName, "CREDENTIALS_DIRECTORY is not set (no LoadCredential= in the unit)")
        }
        return try StaticProfileKeys.credentials(profile: profile, inFileAt: path, format: .credentials, source: sourceName, unreadableIsError: true)
    }

    /// The section names in the file, for the chain's check that a named profile exists.
    func profileNames() throws(CredentialError) -> Set<String>? {
        guard let path else { return nil }
        guard let contents = try LoadedINIFile.load(path, source: sourceName).contents else { return nil }
        return Set(contents.sections.map(\.name))
    }
}
