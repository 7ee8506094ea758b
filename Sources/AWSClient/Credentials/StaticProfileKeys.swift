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
}
