/// Which profile of the shared config and credentials files applies, and who chose it.
///
/// botocore's rule: a profile passed explicitly (`--profile`, `aws.profile`), else
/// `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`, else `default`. A profile named either way must
/// exist; `default` may be absent.
public struct ProfileSelection: Sendable, Equatable {
    /// The profile's name.
    public var name: String
    /// Where the name came from, for messages; nil for the implicit `default`.
    public var origin: String?
    /// Whether it was passed explicitly, which makes the credential chain skip the environment.
    public var isExplicit: Bool

    public init(configured: String?, environment: [String: String]) {
        if let configured {
            (name, origin) = (configured, "the configured profile")
        } else if let fromEnvironment = environment["AWS_DEFAULT_PROFILE"] {
            (name, origin) = (fromEnvironment, "AWS_DEFAULT_PROFILE")
        } else if let fromEnvironment = environment["AWS_PROFILE"] {
            (name, origin) = (fromEnvironment, "AWS_PROFILE")
        } else {
            (name, origin) = ("default", nil)
        }
        isExplicit = configured != nil
    }

    /// `profile default` or `profile analytics`, for messages about its settings.
    public var label: String { "profile \(name)" }
}
