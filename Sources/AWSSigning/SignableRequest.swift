public import Foundation

/// An HTTP request as SigV4 sees it: method, wire path and query, ordered headers and body.
///
/// The path and query are kept exactly as they go out on the wire (already percent-encoded), because
/// the canonical request is derived from those bytes; re-deriving them from decoded values is how
/// signers end up disagreeing with the server.
public struct SignableRequest: Sendable {
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The path as sent on the wire, already percent-encoded (`/identitypools/us-east-1%3A…/x`).
    public var path: String
    /// The raw query string as sent, without the leading `?`; `nil` when the URL has none.
    public var query: String?
    /// Header fields in order; names keep their case and a name may repeat.
    public var headers: [(name: String, value: String)]
    /// The request body; empty for the operations this client sends.
    public var body: [UInt8]

    /// Creates a request from its wire parts.
    public init(
        method: String,
        path: String,
        query: String? = nil,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Creates a request for `url`, adding the `Host` header botocore would sign; `nil` when the URL has no host.
    ///
    /// The signature covers `host`, so the header added here must be the one the HTTP layer sends.
    public init?(
        method: String,
        url: URL,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        guard
            let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let host = Self.hostHeaderValue(for: components)
        else {
            return nil
        }
        let path = components.percentEncodedPath
        self.init(
            method: method,
            path: path.isEmpty ? "/" : path,
            query: components.percentEncodedQuery,
            headers: headers,
            body: body
        )
        if firstValue(forHeader: "host") == nil {
            self.headers.insert((name: "Host", value: host), at: 0)
        }
    }

    /// The `Host` header value for `url` as botocore derives it: lower-cased, IPv6 in brackets, default port dropped.
    public static func hostHeaderValue(for url: URL) -> String? {
        URLComponents(url: url, resolvingAgainstBaseURL: false).flatMap(hostHeaderValue(for:))
    }

    /// The same, for a URL already taken apart.
    public static func hostHeaderValue(for components: URLComponents) -> String? {
        guard let rawHost = components.percentEncodedHost, !rawHost.isEmpty else {
            return nil
        }
        let host = rawHost.lowercased()
        let defaultPort: Int? =
            switch components.scheme?.lowercased() {
            case "http": 80
            case "https": 443
            default: nil
            }
        if let port = components.port, port != defaultPort {
            return "\(host):\(port)"
        }
        return host
    }

    /// All values of the header `name` (case-insensitive), in order.
    public func values(forHeader name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The first value of the header `name` (case-insensitive).
    public func firstValue(forHeader name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Removes every header called `name` (case-insensitive).
    public mutating func removeHeaders(named name: String) {
        let unwanted = name.lowercased()
        headers.removeAll { $0.name.lowercased() == unwanted }
    }

    /// Replaces every header called `name` with one field appended at the end, as botocore does on re-signing.
    public mutating func replaceHeader(_ name: String, with value: String) {
        removeHeaders(named: name)
        headers.append((name: name, value: value))
    }
}
