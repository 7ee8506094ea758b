import AWSCore
import AWSSigning
import Foundation

/// Where a region's requests go, with the parts every request to it repeats worked out once:
/// the URL and path every request path is appended to, and the `Host` header value botocore
/// signs for it. A poll then builds its URL and its signable request by joining strings, not by
/// parsing its own URL again.
struct RequestTarget: Sendable {
    let endpoint: ResolvedEndpoint
    /// The endpoint URL as text, without a trailing `/`.
    let urlPrefix: String
    /// The endpoint's own path, percent-encoded, without a trailing `/` (empty for most).
    let pathPrefix: String
    /// The `Host` header value: lower-cased, IPv6 in brackets, a default port dropped.
    let host: String

    /// `nil` when the endpoint URL has no host (validation refuses such URLs earlier).
    init?(_ endpoint: ResolvedEndpoint) {
        guard let components = URLComponents(url: endpoint.url, resolvingAgainstBaseURL: false),
            let host = SignableRequest.hostHeaderValue(for: components)
        else {
            return nil
        }
        self.endpoint = endpoint
        self.urlPrefix = Self.droppingTrailingSlash(endpoint.url.absoluteString)
        self.pathPrefix = Self.droppingTrailingSlash(components.percentEncodedPath)
        self.host = host
    }

    /// The URL and the unsigned request for `path` (percent-encoded, starting with `/`).
    func request(method: String, path: String) -> (url: URL, unsigned: SignableRequest)? {
        guard let url = URL(string: urlPrefix + path) else { return nil }
        return (url, SignableRequest(method: method, path: pathPrefix + path, headers: [(name: "Host", value: host)]))
    }

    private static func droppingTrailingSlash(_ text: String) -> String {
        text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
