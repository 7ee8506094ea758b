import Foundation

/// The hosts that bypass the proxy (`NO_PROXY`), matched as Python's urllib matches them, which
/// is what botocore uses.
///
/// The value is a comma-separated list. `*` (the whole value) bypasses every host. Each entry,
/// without leading dots and compared case-insensitively, matches a host that equals it or ends
/// with `.entry`, either with or without the URL's port: `example.com` covers
/// `api.example.com`, `localhost:8443` only that port. IP addresses are compared as text; CIDR
/// ranges are not understood (urllib does not either).
public struct NoProxyList: Sendable, Equatable, CustomStringConvertible {
    /// The value as given.
    public let value: String
    /// The setting it came from (`NO_PROXY`, `aws.proxy.noProxy`…), for messages.
    public let setting: String

    public init(_ value: String, setting: String) {
        self.value = value
        self.setting = setting
    }

    /// The entries, trimmed, without empty ones.
    public var entries: [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Whether a request to `netloc` (the URL's host, with `:port` when the URL names one, IPv6
    /// in brackets) goes direct: urllib's `proxy_bypass_environment`.
    public func bypasses(netloc: String) -> Bool {
        if value == "*" { return true }
        let host = netloc.lowercased()
        let hostOnly = Self.withoutPort(host)
        for entry in value.split(separator: ",", omittingEmptySubsequences: false) {
            var name = Substring(entry.trimmingCharacters(in: .whitespacesAndNewlines))
            guard !name.isEmpty else { continue }
            name = name.drop { $0 == "." }
            let lowered = name.lowercased()
            if hostOnly == lowered || host == lowered { return true }
            let suffix = "." + lowered
            if hostOnly.hasSuffix(suffix) || host.hasSuffix(suffix) { return true }
        }
        return false
    }

    public var description: String { "\(value) (\(setting))" }

    /// urllib's `_splitport`: the text before the last `:` when only digits follow it (and at
    /// least one does).
    private static func withoutPort(_ host: String) -> String {
        guard let colon = host.lastIndex(of: ":") else { return host }
        let port = host[host.index(after: colon)...]
        guard !port.isEmpty, port.allSatisfy({ ("0"..."9").contains($0) }) else { return host }
        return String(host[..<colon])
    }
}
