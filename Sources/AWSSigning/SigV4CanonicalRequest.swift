import Crypto

/// The SigV4 canonical request: the exact text whose hash is signed, with the headers it covers.
struct SigV4CanonicalRequest: Sendable, Equatable {
    /// The canonical request text (method, URI, query, headers, signed headers, payload hash).
    let text: String
    /// Lower-cased names of the signed headers, sorted.
    let signedHeaders: [String]
    /// The hex SHA-256 of the body, or the `X-Amz-Content-SHA256` value when the request carries one.
    let payloadHash: String

    /// The `SignedHeaders` value, e.g. `host;x-amz-date`.
    var signedHeadersList: String { signedHeaders.joined(separator: ";") }
}

extension SigV4CanonicalRequest {
    /// Header names botocore never signs (`SIGNED_HEADERS_BLACKLIST`): hop-by-hop headers and ones
    /// proxies or the HTTP layer may rewrite.
    static let unsignableHeaderNames: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// SHA-256 of the empty body, which every request of this client sends.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Builds the canonical request as botocore's `SigV4Auth.canonical_request` does.
    ///
    /// - Parameters:
    ///   - onlyHeaders: when set (a verifier replaying a received request), exactly these lower-cased
    ///     names are signed; otherwise every header but botocore's exclusions is.
    ///   - encodePathAgain: `true` for every service but S3: the already-encoded wire path is
    ///     normalised and encoded a second time, so `%3A` on the wire is `%253A` here.
    init(request: SignableRequest, onlyHeaders: [String]?, encodePathAgain: Bool) {
        let selected = Self.selectHeaders(of: request, onlyHeaders: onlyHeaders)
        let names = selected.map(\.name)
        let payloadHash =
            request.firstValue(forHeader: "x-amz-content-sha256")
            ?? (request.body.isEmpty ? Self.emptyPayloadHash : SigV4Hex.encode(SHA256.hash(data: request.body)))
        let headerLines = selected.map { "\($0.name):\($0.values.joined(separator: ","))" }
        let lines = [
            request.method.uppercased(),
            Self.canonicalURI(request.path, encodeAgain: encodePathAgain),
            Self.canonicalQuery(request.query),
            headerLines.joined(separator: "\n") + "\n",
            names.joined(separator: ";"),
            payloadHash,
        ]
        self.init(text: lines.joined(separator: "\n"), signedHeaders: names, payloadHash: payloadHash)
    }

    /// Groups headers by lower-cased name, keeping value order, trimming values the way botocore does.
    private static func selectHeaders(
        of request: SignableRequest,
        onlyHeaders: [String]?
    ) -> [(name: String, values: [String])] {
        let wanted = onlyHeaders.map { Set($0.map { $0.lowercased() }) }
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            if let wanted {
                guard wanted.contains(name) else { continue }
            } else if Self.unsignableHeaderNames.contains(name) {
                continue
            }
            if values[name] == nil {
                order.append(name)
            }
            values[name, default: []].append(trimAll(header.value))
        }
        return order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { ($0, values[$0] ?? []) }
    }

    /// `' '.join(value.split())`: strips the ends and collapses every inner whitespace run to one space.
    static func trimAll(_ value: String) -> String {
        // The usual value (a host, a timestamp, a token): printable ASCII with single inner spaces
        // at most, already in its trimmed form. Checked on bytes: Unicode properties per scalar
        // cost a poll more than the rest of this function.
        if isTrimmedPrintableASCII(value.utf8) {
            return value
        }
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            // Python's str.split() also splits on the ASCII separators U+001C…U+001F, which
            // Unicode's White_Space property does not include.
            if scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value) {
                if !current.isEmpty {
                    words.append(String(current))
                    current = String.UnicodeScalarView()
                }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty {
            words.append(String(current))
        }
        return words.joined(separator: " ")
    }

    /// Whether `bytes` are printable ASCII with no space at either end and no two spaces in a row.
    private static func isTrimmedPrintableASCII(_ bytes: String.UTF8View) -> Bool {
        var previousWasSpace = true  // so that a leading space fails
        for byte in bytes {
            switch byte {
            case 0x21...0x7E: previousWasSpace = false
            case 0x20 where !previousWasSpace: previousWasSpace = true
            default: return false
            }
        }
        return !previousWasSpace || bytes.isEmpty
    }

    /// The canonical URI: for non-S3 services dot segments and empty segments are removed and the
    /// result is encoded again keeping `/`; S3 signs the wire path untouched.
    static func canonicalURI(_ path: String, encodeAgain: Bool) -> String {
        guard encodeAgain else {
            return path.isEmpty ? "/" : path
        }
        return AWSURIEncoding.encode(removeDotSegments(path).utf8, keepingSlash: true)
    }

    /// botocore's `remove_dot_segments`: RFC 3986 §5.2.4 plus collapsing `//`, which AWS requires.
    static func removeDotSegments(_ path: String) -> String {
        guard !path.isEmpty else {
            return "/"
        }
        // The usual case, an SDK's own path: absolute, no empty and no dot segment, nothing to do.
        if isPlainAbsolutePath(path.utf8) {
            return path
        }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = output.popLast()
            } else {
                output.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return leading + output.joined(separator: "/") + trailing
    }

    /// Whether `path` starts with `/` and has no `//` and no `/.` in it, looked at byte by byte
    /// (`String.contains` with a string argument goes through a generic substring search).
    private static func isPlainAbsolutePath(_ path: String.UTF8View) -> Bool {
        let slash = UInt8(ascii: "/")
        guard path.first == slash else { return false }
        var previous: UInt8 = 0
        for byte in path {
            if previous == slash, byte == slash || byte == UInt8(ascii: ".") { return false }
            previous = byte
        }
        return true
    }

    /// The canonical query: each `name=value` pair decoded, re-encoded with only unreserved
    /// characters kept, then sorted by name and value.
    ///
    /// For a query an SDK encoded (botocore encodes everything but unreserved characters) this is
    /// the raw string sorted, which is what botocore signs; decoding first also makes the official
    /// vectors with raw UTF-8 in the query come out right, as botocore's own test harness does.
    static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else {
            return ""
        }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = AWSURIEncoding.encode(AWSURIEncoding.decode(parts[0]), keepingSlash: false)
            let value =
                parts.count > 1 ? AWSURIEncoding.encode(AWSURIEncoding.decode(parts[1]), keepingSlash: false) : ""
            return (name: name, value: value)
        }
        return
            pairs
            .sorted { lhs, rhs in
                lhs.name == rhs.name
                    ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                    : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
            }
            .map { "\($0.name)=\($0.value)" }
            .joined(separator: "&")
    }
}

/// Lower-case hex, the form SigV4 uses for hashes and signatures.
enum SigV4Hex {
    static func sha256(_ text: String) -> String {
        encode(SHA256.hash(data: Array(text.utf8)))
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var encoded: [UInt8] = []
        for byte in bytes {
            encoded.append(digits[Int(byte >> 4)])
            encoded.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
