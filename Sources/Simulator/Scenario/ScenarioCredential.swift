public import Foundation

/// A key pair the simulator accepts, optionally temporary (a session token and an expiry).
///
/// The description never shows the secret or the token.
public struct ScenarioCredential: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// When set, requests must carry exactly this `X-Amz-Security-Token`.
    public var sessionToken: String?
    /// Seconds after the simulator's start at which these credentials expire.
    public var expiresAfterSeconds: TimeInterval?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiresAfterSeconds: TimeInterval? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiresAfterSeconds = expiresAfterSeconds
    }

    /// The key pair every scenario accepts unless it declares its own; documented for demos, it
    /// guards nothing.
    public static let demo = ScenarioCredential(
        accessKeyID: "AKIDSIMULATOR0000000",
        secretAccessKey: "simulator-demo-secret-access-key-0000000"
    )

    public var description: String {
        let kind = sessionToken == nil ? "long-lived" : "temporary"
        return "ScenarioCredential(\(accessKeyID), \(kind))"
    }

    public var debugDescription: String { description }
}
