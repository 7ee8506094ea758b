/// A role the simulated STS lets callers assume; a scenario without roles accepts any
/// well-formed role ARN.
public struct ScenarioRole: Sendable, Equatable {
    /// `arn:aws:iam::123456789012:role/name`.
    public var arn: String
    /// When set, `AssumeRole` must carry this `ExternalId`.
    public var externalID: String?
    /// When set, `AssumeRoleWithWebIdentity` must carry this token.
    public var webIdentityToken: String?

    public init(arn: String, externalID: String? = nil, webIdentityToken: String? = nil) {
        self.arn = arn
        self.externalID = externalID
        self.webIdentityToken = webIdentityToken
    }
}
