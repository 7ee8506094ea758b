import AWSSigning
import Foundation

/// An HTTP proxy, parsed from a URL the way botocore reads `HTTPS_PROXY` and its kin.
///
/// botocore adds `http://` to a URL without a scheme (`proxy.corp:3128`), takes the port from
/// the URL or else 80, and sends Basic `Proxy-Authorization` when the URL carries both a user
/// name and a password, each percent-decoded first. The password is kept for the header and
/// never shown: ``description`` names the host, the port and the user only.
public struct ProxyServer: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// The percent-decoded user name, when the URL carries a user name and a password.
    public let username: String?
    /// The percent-decoded password; only for the `Proxy-Authorization` header.
    let password: String?
    /// The setting it came from (`HTTPS_PROXY`, `aws.proxy.https`…), for messages.
    public let setting: String

    /// Parses `text`, which came from `setting`.
    public init(parsing text: String, setting: String) throws(NetworkSettingsError) {
        func problem(_ reason: String, fix: String) -> NetworkSettingsError {
            NetworkSettingsError("\(setting) ('\(Self.shown(text))') \(reason)", fix: fix, setting: setting)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lowered = trimmed.lowercased()
        let rest: Substring
        if lowered.hasPrefix("http://") {
            rest = trimmed.dropFirst("http://".count)
        } else if lowered.hasPrefix("https://") {
            throw problem(
                "is a proxy reached over HTTPS, which is not supported",
                fix: "use the proxy's plain http:// address; the tunnel to AWS through it is TLS all the same")
        } else if lowered.hasPrefix("//") {
            rest = trimmed.dropFirst(2)
        } else if let scheme = trimmed.firstRange(of: "://") {
            throw problem(
                "uses the scheme '\(trimmed[..<scheme.lowerBound])', and only http:// proxies are supported",
                fix: "give an HTTP proxy's address, e.g. http://proxy.example.com:3128")
        } else {
            rest = trimmed[...]
        }
        // The authority ends at the first '/', '?' or '#'; user info ends at its last '@', as in
        // Python's urlsplit (a password may hold an unescaped '@').
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var hostPort = authority
        var username: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            let user: Substring
            let secret: Substring?
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                secret = userInfo[userInfo.index(after: colon)...]
            } else {
                (user, secret) = (userInfo, nil)
            }
            let decodedUser = Self.unquote(user)
            let decodedSecret = secret.map(Self.unquote)
            // botocore authenticates only when both are present and not empty.
            if !decodedUser.isEmpty, let decodedSecret, !decodedSecret.isEmpty {
                (username, password) = (decodedUser, decodedSecret)
            }
        }
        let host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw problem("has an IPv6 address without its closing ']'", fix: "write it as http://[::1]:3128")
            }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw problem("has text after its IPv6 address", fix: "write it as http://[::1]:3128")
                }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = hostPort
        }
        guard !host.isEmpty else {
            throw problem("has no host name", fix: "give the proxy's address, e.g. http://proxy.example.com:3128")
        }
        var port = 80
        if let portText, !portText.isEmpty {
            guard portText.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(portText), (1...65535).contains(number) else {
                throw problem("has '\(portText)' as its port, which is not a number from 1 to 65535",
                              fix: "write it as http://proxy.example.com:3128")
            }
            port = number
        }
        self.host = String(host).lowercased()
        self.port = port
        self.username = username
        self.password = password
        self.setting = setting
    }

    /// `http://host:port`, with the user name when there is one; never the password.
    public var description: String {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "http://\(authority)" + (username.map { " (user \($0))" } ?? "")
    }

    /// `host:port` for messages.
    public var address: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Two proxies are the same when requests through them go out the same way.
    public static func == (lhs: ProxyServer, rhs: ProxyServer) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.username == rhs.username && lhs.password == rhs.password
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(username)
    }

    /// The `Proxy-Authorization` value botocore sends: Basic with the decoded user name and
    /// password, when both are there.
    var basicAuthorization: String? {
        guard let username, let password else { return nil }
        return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    /// Python's `urllib.parse.unquote`, which botocore applies: `%XX` becomes that byte, an
    /// escape that is not two hex digits stays as it is, and bytes that are not UTF-8 become U+FFFD.
    static func unquote(_ text: Substring) -> String {
        String(decoding: AWSURIEncoding.decode(text), as: UTF8.self)
    }

    /// The proxy URL as it may be shown: user info hidden, for messages about a URL that did
    /// not parse (it may still hold a password).
    static func shown(_ text: String) -> String {
        SecretLikeText.hidingUserInfo(text)
    }
}
