/// A parsed SigV4 `Authorization` header: who signed, for which scope, which headers, and the signature.
public struct SigV4Authorization: Sendable, Equatable {
    /// Why an `Authorization` header could not be parsed; the message never repeats the signature.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong with the header.
        public let message: String

        public var description: String { "invalid SigV4 Authorization header: \(message)" }
    }

    /// The access key id from `Credential=`.
    public let accessKeyID: String
    /// The `YYYYMMDD` date stamp of the credential scope.
    public let date: String
    /// The signing region of the credential scope.
    public let region: String
    /// The signing service of the credential scope.
    public let service: String
    /// The lower-cased header names from `SignedHeaders=`, in the order given.
    public let signedHeaders: [String]
    /// The 64 hex digits from `Signature=`.
    public let signature: String

    /// The credential scope, e.g. `20150830/us-east-1/service/aws4_request`.
    public var credentialScope: String { "\(date)/\(region)/\(service)/aws4_request" }

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=…, Signature=…`.
    public init(parsing header: String) throws(ParseError) {
        let algorithm = "AWS4-HMAC-SHA256 "
        guard header.hasPrefix(algorithm) else {
            throw ParseError(message: "it must start with \"AWS4-HMAC-SHA256 \"")
        }
        var fields: [Substring: Substring] = [:]
        for component in header.dropFirst(algorithm.count).split(separator: ",") {
            let part = component.trimmingSpaces()
            guard let equals = part.firstIndex(of: "=") else {
                throw ParseError(message: "component \"\(part.prefix(40))\" is not name=value")
            }
            let name = part[..<equals]
            guard ["Credential", "SignedHeaders", "Signature"].contains(name) else {
                throw ParseError(message: "unknown component \"\(name.prefix(40))\"")
            }
            guard fields[name] == nil else {
                throw ParseError(message: "component \(name) appears twice")
            }
            fields[name] = part[part.index(after: equals)...]
        }
        guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"],
            let signature = fields["Signature"]
        else {
            throw ParseError(message: "it needs Credential, SignedHeaders and Signature")
        }

        let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count == 5, scope[4] == "aws4_request", !scope[0].isEmpty,
            scope[1].count == 8, scope[1].allSatisfy(\.isASCIIDigit),
            !scope[2].isEmpty, !scope[3].isEmpty
        else {
            throw ParseError(message: "Credential must be <key id>/<YYYYMMDD>/<region>/<service>/aws4_request")
        }
        let names = signedHeaders.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && $0 == $0.lowercased() }) else {
            throw ParseError(message: "SignedHeaders must be lower-case names separated by ';'")
        }
        guard signature.count == 64, signature.allSatisfy(\.isLowercaseHexDigit) else {
            throw ParseError(message: "Signature must be 64 lower-case hex digits")
        }
        self.accessKeyID = String(scope[0])
        self.date = String(scope[1])
        self.region = String(scope[2])
        self.service = String(scope[3])
        self.signedHeaders = names
        self.signature = String(signature)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? start
        return self[start..<Swift.max(start, end)]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isLowercaseHexDigit: Bool { isASCIIDigit || ("a"..."f").contains(self) }
}
