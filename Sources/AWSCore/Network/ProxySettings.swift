public import Foundation

/// Which proxy, if any, a request goes through.
///
/// botocore takes proxies from the environment (`urllib.request.getproxies`) unless the client
/// is given its own (`Config(proxies=…)`), and then ignores the environment's, `NO_PROXY`
/// included. The daemon's `aws.proxy` is that client setting; it may carry its own `noProxy`.
public struct ProxySettings: Sendable, Equatable {
    /// For `https://` URLs: requests go through a CONNECT tunnel.
    public var https: ProxyServer?
    /// For `http://` URLs.
    public var http: ProxyServer?
    /// Hosts that go direct.
    public var noProxy: NoProxyList?

    public init(https: ProxyServer? = nil, http: ProxyServer? = nil, noProxy: NoProxyList? = nil) {
        self.https = https
        self.http = http
        self.noProxy = noProxy
    }

    /// No proxy at all.
    public static let direct = ProxySettings()

    /// The proxy for a request to `url`, or nil to go direct.
    public func proxy(for url: URL) -> ProxyServer? {
        guard let scheme = url.scheme?.lowercased() else { return nil }
        let server: ProxyServer?
        switch scheme {
        case "https": server = https
        case "http": server = http
        default: server = nil
        }
        guard let server else { return nil }
        if let noProxy, noProxy.bypasses(netloc: Self.netloc(of: url)) {
            return nil
        }
        return server
    }

    /// The proxies the environment names, as urllib's `getproxies_environment` reads them:
    /// `https_proxy`, `http_proxy` and `no_proxy` in any case, the lower-case name winning
    /// over others, and a lower-case name set to the empty string cancelling the variable.
    /// Like urllib, `HTTP_PROXY` in upper case is ignored when `REQUEST_METHOD` is set (a CGI
    /// process, where a client's `Proxy:` header can set it).
    public static func fromEnvironment(_ environment: [String: String]) throws(NetworkSettingsError) -> ProxySettings {
        var found: [String: (value: String, name: String)] = [:]
        // Sorted, so that the outcome does not depend on the order of the environment.
        let variables = environment.sorted { $0.key < $1.key }
        for (name, value) in variables where !value.isEmpty && name.lowercased().hasSuffix("_proxy") {
            found[String(name.lowercased().dropLast("_proxy".count))] = (value, name)
        }
        if environment["REQUEST_METHOD"] != nil {
            found["http"] = nil
        }
        for (name, value) in variables where name.hasSuffix("_proxy") {
            let key = String(name.lowercased().dropLast("_proxy".count))
            found[key] = value.isEmpty ? nil : (value, name)
        }
        return ProxySettings(
            https: try found["https"].map { entry throws(NetworkSettingsError) in try ProxyServer(parsing: entry.value, setting: entry.name) },
            http: try found["http"].map { entry throws(NetworkSettingsError) in try ProxyServer(parsing: entry.value, setting: entry.name) },
            noProxy: found["no"].map { NoProxyList($0.value, setting: $0.name) }
        )
    }

    /// Whether no proxy is set for either scheme.
    public var isDirect: Bool { https == nil && http == nil }

    /// The URL's host and port as urllib's `netloc` has them: IPv6 in brackets, the port only
    /// when the URL names one.
    static func netloc(of url: URL) -> String {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.host ?? "" }
        var host = components.percentEncodedHost ?? ""
        if host.contains(":"), !host.hasPrefix("[") {
            host = "[\(host)]"
        }
        return components.port.map { "\(host):\($0)" } ?? host
    }
}
