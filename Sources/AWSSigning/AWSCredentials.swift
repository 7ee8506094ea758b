public import Foundation

/// A set of AWS credentials: long-lived keys, or temporary ones with a session token and an
/// expiry.
///
/// The description never shows the secret parts, so a value that reaches a log by accident
/// leaks nothing.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-lived keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}

extension AWSCredentials: CustomReflectable {
    /// `dump()` and debuggers see the key id and expiry, never the secret or the token.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyID": accessKeyID,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
            "expiration": expiration as Any,
        ])
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// Names the key id only by its last four characters; the secret and token never appear.
    public var description: String {
        let suffix = accessKeyID.suffix(4)
        let kind = sessionToken == nil ? "long-lived" : "temporary"
        return "AWSCredentials(key id ending \(suffix), \(kind))"
    }

    public var debugDescription: String { description }
}
