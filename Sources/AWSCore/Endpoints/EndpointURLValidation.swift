import Foundation

/// Checks a custom endpoint URL: absolute, http(s), a valid host, and plain http only to loopback.
///
/// Plain http is refused elsewhere because a signed request sent in clear text can be read and
/// replayed within its validity window, and the response (pool state) could be forged.
enum EndpointURLValidation {
    static func validate(_ text: String, origin: String) throws(EndpointConfigurationError) -> URL {
        let shown = redacted(text)
        guard let url = URL(string: text),
            let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased()
        else {
            throw EndpointConfigurationError(
                .invalidEndpointURL,
                "The endpoint URL \(shown) from \(origin) is not an absolute URL; "
                    + "write it like https://cognito-sync.us-east-1.amazonaws.com or http://127.0.0.1:4566."
            )
        }
        guard scheme == "https" || scheme == "http" else {
            throw EndpointConfigurationError(
                .invalidEndpointURL,
                "The endpoint URL \(shown) from \(origin) must start with https:// (or http:// for a loopback address)."
            )
        }
        guard components.user == nil, components.password == nil else {
            throw EndpointConfigurationError(
                .invalidEndpointURL,
                "The endpoint URL from \(origin) must not contain a user name or password; remove the part before '@'."
            )
        }
        guard components.percentEncodedQuery == nil, components.fragment == nil else {
            throw EndpointConfigurationError(
                .invalidEndpointURL,
                "The endpoint URL \(shown) from \(origin) must not have a query (?…) or fragment (#…)."
            )
        }
        guard let host = components.percentEncodedHost, isValidHost(host) else {
            throw EndpointConfigurationError(
                .invalidEndpointURL,
                "The endpoint URL \(shown) from \(origin) has no valid host name or IP address."
            )
        }
        if scheme == "http" && !isLoopback(host) {
            throw EndpointConfigurationError(
                .insecureEndpointURL,
                "The endpoint URL \(shown) from \(origin) uses plain http to a host that is not loopback; "
                    + "use https, or http only with 127.0.0.1, [::1] or localhost."
            )
        }
        // Request paths start with '/', so a trailing '/' on the base would double it.
        var trimmed = text
        while trimmed.hasSuffix("/") && !trimmed.hasSuffix("://") {
            trimmed.removeLast()
        }
        return URL(string: trimmed) ?? url
    }

    /// A host name of DNS labels (botocore's check), or a bracketed IPv6 literal.
    static func isValidHost(_ host: String) -> Bool {
        if host.hasPrefix("[") && host.hasSuffix("]") {
            return ipv6Groups(host.dropFirst().dropLast()) != nil
        }
        var name = Substring(host)
        if name.hasSuffix(".") {
            name = name.dropLast()
        }
        guard !name.isEmpty, name.utf8.count <= 255 else {
            return false
        }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// `localhost`, any address in 127.0.0.0/8, or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "localhost." {
            return true
        }
        if lowered.hasPrefix("[") && lowered.hasSuffix("]") {
            return ipv6Groups(lowered.dropFirst().dropLast()) == [0, 0, 0, 0, 0, 0, 0, 1]
        }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else {
            return false
        }
        let values = octets.compactMap { octet -> Int? in
            guard (1...3).contains(octet.count), octet.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(octet).flatMap { $0 <= 255 ? $0 : nil }
        }
        return values.count == 4 && values[0] == 127
    }

    /// The eight 16-bit groups of an IPv6 address (with `::` and an IPv4 tail allowed); `nil` if malformed.
    static func ipv6Groups(_ text: Substring) -> [UInt16]? {
        func groups(_ part: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (index, piece) in pieces.enumerated() {
                if allowIPv4Tail && index == pieces.count - 1 && piece.contains(".") {
                    let octets = piece.split(separator: ".", omittingEmptySubsequences: false).compactMap {
                        $0.count <= 3 && $0.allSatisfy({ $0.isASCII && $0.isNumber }) ? UInt8($0) : nil
                    }
                    guard octets.count == 4 else { return nil }
                    result.append(UInt16(octets[0]) << 8 | UInt16(octets[1]))
                    result.append(UInt16(octets[2]) << 8 | UInt16(octets[3]))
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        let halves = text.components(separatedBy: "::")
        switch halves.count {
        case 1:
            guard let all = groups(text, allowIPv4Tail: true), all.count == 8 else { return nil }
            return all
        case 2:
            guard let head = groups(Substring(halves[0]), allowIPv4Tail: false),
                let tail = groups(Substring(halves[1]), allowIPv4Tail: true),
                head.count + tail.count < 8
            else {
                return nil
            }
            return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
    }

    /// The URL as it may appear in a message: bounded, printable, and without anything before an '@'.
    static func redacted(_ text: String) -> String {
        let shown = SecretLikeText.hidingUserInfo(text)
        let printable = String(shown.unicodeScalars.filter { !$0.properties.generalCategory.isControl })
        return "\"" + (printable.count > 120 ? printable.prefix(120) + "…" : printable) + "\""
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControl: Bool {
        switch self {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
