import Foundation

/// How many attempts a call makes, from `AWS_MAX_ATTEMPTS` or the profile's `max_attempts`, and
/// the retry mode, from `AWS_RETRY_MODE` or `retry_mode`: environment first, as botocore reads them.
public struct RetrySettings: Sendable, Equatable {
    /// Attempts per call, the first included.
    public var maxAttempts: Int
    /// Where ``maxAttempts`` came from; nil for the default.
    public var maxAttemptsSetting: String?
    /// The mode asked for (`standard` unless a setting says otherwise); only standard is run.
    public var requestedMode: String
    /// Where ``requestedMode`` came from; nil for the default.
    public var modeSetting: String?

    public init(maxAttempts: Int = StandardRetryStrategy.defaultMaxAttempts, maxAttemptsSetting: String? = nil,
                requestedMode: String = "standard", modeSetting: String? = nil) {
        self.maxAttempts = maxAttempts
        self.maxAttemptsSetting = maxAttemptsSetting
        self.requestedMode = requestedMode
        self.modeSetting = modeSetting
    }

    /// botocore's modes.
    static let modes = ["legacy", "standard", "adaptive"]

    /// A warning when the mode asked for is one this client does not run: standard runs instead.
    public var modeWarning: String? {
        guard requestedMode != "standard", let modeSetting else { return nil }
        let why = requestedMode == "adaptive"
            ? "adaptive mode's client-side rate limiting is what the daemon's limits.maxRequestsPerSecond and its per-region throttling do"
            : "legacy mode is kept by botocore for old clients only"
        return "retry mode '\(requestedMode)' (from \(modeSetting)) is not supported; the standard mode is used (\(why))"
    }

    /// Reads the settings; `profile` holds the selected profile's values.
    static func resolve(environment: [String: String], profile: [String: String], profileLabel: String) throws(NetworkSettingsError) -> RetrySettings {
        var settings = RetrySettings()
        let attempts = environment["AWS_MAX_ATTEMPTS"].map { ($0, "AWS_MAX_ATTEMPTS") }
            ?? profile["max_attempts"].map { ($0, "max_attempts in \(profileLabel)") }
        if let (text, setting) = attempts {
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), number >= 1 else {
                throw NetworkSettingsError(
                    "\(setting) is '\(ServiceErrorText.excerpt(text, limit: 40))', not a whole number of attempts of at least 1",
                    fix: "set it to the number of attempts per call, the first included (3 is the default)", setting: setting)
            }
            settings.maxAttempts = number
            settings.maxAttemptsSetting = setting
        }
        let mode = environment["AWS_RETRY_MODE"].map { ($0, "AWS_RETRY_MODE") }
            ?? profile["retry_mode"].map { ($0, "retry_mode in \(profileLabel)") }
        if let (text, setting) = mode {
            guard modes.contains(text) else {
                throw NetworkSettingsError(
                    "\(setting) is '\(ServiceErrorText.excerpt(text, limit: 40))', not a retry mode",
                    fix: "use standard (or remove it); botocore knows legacy, standard and adaptive", setting: setting)
            }
            settings.requestedMode = text
            settings.modeSetting = setting
        }
        return settings
    }
}
