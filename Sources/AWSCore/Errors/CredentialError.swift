public import Foundation

/// Why a credential source could not supply credentials.
///
/// Messages name files, variables and hosts but never a secret key, a session token or a
/// response body, so an error can be logged as it is.
public struct CredentialError: Error, Sendable, Hashable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case notConfigured
            case partialCredentials
            case profileNotFound
            case malformedFile
            case unreadableFile
            case unsupportedConfiguration
            case invalidConfiguration
            case processFailed
            case requestFailed
            case invalidResponse
            case expired
            case noCredentials
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The source is not set up here; a chain moves on to the next source.
        public static let notConfigured = Code(.notConfigured)
        /// An access key without its secret (or the reverse where that is an error).
        public static let partialCredentials = Code(.partialCredentials)
        /// A profile was asked for by name but no file defines it.
        public static let profileNotFound = Code(.profileNotFound)
        /// A configuration or credentials file does not parse.
        public static let malformedFile = Code(.malformedFile)
        /// A file exists but cannot be read (permissions, encoding).
        public static let unreadableFile = Code(.unreadableFile)
        /// The configuration asks for a source this client does not implement (SSO, assume-role…).
        public static let unsupportedConfiguration = Code(.unsupportedConfiguration)
        /// A setting has a value that cannot be used (bad URL, disallowed host, bad number).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// `credential_process` could not be run, failed, timed out or printed something unusable.
        public static let processFailed = Code(.processFailed)
        /// An HTTP credential endpoint could not be reached or answered with an error status.
        public static let requestFailed = Code(.requestFailed)
        /// An HTTP credential endpoint answered with something that is not usable credentials.
        public static let invalidResponse = Code(.invalidResponse)
        /// The source handed out credentials that have already expired.
        public static let expired = Code(.expired)
        /// Every source of a chain was tried and none had credentials.
        public static let noCredentials = Code(.noCredentials)

        public var description: String {
            switch base {
            case .notConfigured: "not configured"
            case .partialCredentials: "partial credentials"
            case .profileNotFound: "profile not found"
            case .malformedFile: "malformed file"
            case .unreadableFile: "unreadable file"
            case .unsupportedConfiguration: "unsupported configuration"
            case .invalidConfiguration: "invalid configuration"
            case .processFailed: "credential process failed"
            case .requestFailed: "request failed"
            case .invalidResponse: "invalid response"
            case .expired: "expired"
            case .noCredentials: "no credentials"
            }
        }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The `sourceName` of the provider that failed.
    public let source: String
    /// A sentence for a person; safe to log.
    public let message: String

    /// Creates an error; `message` must not contain secrets.
    public init(_ code: Code, source: String, message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    /// The source is not set up; `reason` says what was looked at (e.g. "AWS_ACCESS_KEY_ID is not set").
    public static func notConfigured(_ source: String, _ reason: String) -> CredentialError {
        CredentialError(.notConfigured, source: source, message: reason)
    }
}

extension CredentialError: CustomStringConvertible, LocalizedError {
    public var description: String {
        code == .noCredentials ? message : "\(source): \(message)"
    }

    public var errorDescription: String? { description }
}

extension CredentialError {
    /// Whether the failure may go away without anyone acting: an HTTP credential endpoint that
    /// did not answer or answered badly, a `credential_process` that failed this time, or
    /// credentials that expired before a refresh. A missing, broken or unsupported setup needs
    /// a person.
    public var mayRecoverByItself: Bool {
        [.requestFailed, .invalidResponse, .processFailed, .expired].contains(code)
    }
}
