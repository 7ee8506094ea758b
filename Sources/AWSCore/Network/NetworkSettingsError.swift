/// A network or client setting that cannot be used, with the setting's name and the fix.
///
/// Raised before any request is made (at start-up, on reload, by `check-config`), so a bad
/// setting is a configuration error rather than a failure of every poll.
public struct NetworkSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the setting and, for files, the path.
    public var problem: String
    /// What to do about it.
    public var fix: String
    /// The setting at fault: `AWS_CA_BUNDLE`, `aws.proxy.https`, `max_attempts in profile default`…
    public var setting: String

    public init(_ problem: String, fix: String, setting: String) {
        self.problem = problem
        self.fix = fix
        self.setting = setting
    }

    public var description: String { "\(problem); \(fix)" }
}
