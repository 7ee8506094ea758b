/// Where the shared credentials and config files live, found from the environment the way
/// botocore finds them.
///
/// `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` win; otherwise `~/.aws/credentials` and
/// `~/.aws/config` under `HOME`. Unlike botocore (which falls back to the password database), a
/// missing `HOME` means there is no default file: a systemd service without `User=` has no
/// home worth reading.
package struct SharedFileLocations: Equatable, Sendable {
    /// The shared credentials file, or nil when no path can be formed.
    package var credentialsFile: String?
    /// The shared config file, or nil when no path can be formed.
    package var configFile: String?

    package init(credentialsFile: String?, configFile: String?) {
        self.credentialsFile = credentialsFile
        self.configFile = configFile
    }

    package init(environment: [String: String]) {
        credentialsFile = Self.path(
            environment["AWS_SHARED_CREDENTIALS_FILE"], default: "~/.aws/credentials", environment: environment)
        configFile = Self.path(environment["AWS_CONFIG_FILE"], default: "~/.aws/config", environment: environment)
    }

    private static func path(_ configured: String?, default fallback: String, environment: [String: String]) -> String? {
        let expanded = PathExpansion.expand(configured ?? fallback, environment: environment)
        if configured == nil && expanded.hasPrefix("~") {
            return nil
        }
        return expanded
    }
}
