import AWSCore
import AWSSigning
/// Reads `aws_access_key_id`, `aws_secret_access_key` and a session token from one profile
/// section, with botocore's rules for the shared credentials and config files.
enum StaticProfileKeys {
    /// Nil when the section has no `aws_access_key_id` (the source then does not apply);
    /// an error when the key id is there but the secret is not.
    ///
    /// - Parameter location: names the section for messages, e.g. "[prod] in /etc/aws/credentials".
    static func credentials(
        in section: [String: String], location: String, source: String
    ) throws(CredentialError) -> AWSCredentials? {
        guard let accessKeyID = section["aws_access_key_id"] else { return nil }
        guard !accessKeyID.isEmpty else {
            throw CredentialError(
                .partialCredentials, source: source, message: "aws_access_key_id is empty in \(location)")
        }
        guard let secret = section["aws_secret_access_key"], !secret.isEmpty else {
            throw CredentialError(
                .partialCredentials, source: source,
                message: "\(location) has aws_access_key_id but no aws_secret_access_key")
        }
        // botocore looks at the legacy name first.
        let token = section["aws_security_token"] ?? section["aws_session_token"]
        return AWSCredentials(
            accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: token.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Reads `profile` from the file at `path`, laid out as `format`; a missing or unreadable file,
    /// a missing section or `aws_access_key_id` means "not configured", a malformed file is an error.
    ///
    /// - Parameter unreadableIsError: true for a file that is not botocore's (a systemd
    ///   credential): one that cannot be read is then an error rather than skipped.
    static func credentials(
        profile: String, inFileAt path: String, format: SharedFileCredentialProvider.File, source: String,
        unreadableIsError: Bool = false
    ) throws(CredentialError) -> AWSCredentials {
        let file = try LoadedINIFile.load(path, source: source)
        if unreadableIsError, let reason = file.unreadable {
            throw CredentialError(.unreadableFile, source: source, message: "\(path) \(reason)")
        }
        guard let contents = file.contents else {
            throw .notConfigured(source, file.absenceMessage)
        }
        let header = format.header(for: profile)
        guard let section = format.section(for: profile, in: contents) else {
            throw .notConfigured(source, "\(path) has no \(header) section")
        }
        guard let credentials = try credentials(in: section, location: "\(header) in \(path)", source: source) else {
            throw .notConfigured(source, "\(header) in \(path) has no aws_access_key_id")
        }
        return credentials
    }
}
