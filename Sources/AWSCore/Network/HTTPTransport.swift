public import AsyncHTTPClient
public import Foundation
public import NIOCore
import Synchronization

/// The HTTP connection pools every AWS request goes through: one per way out (direct, or
/// through one proxy), all trusting the same CAs and sharing event loops.
///
/// async-http-client takes its proxy per client, so a request that `NO_PROXY` sends direct
/// needs another client than one sent through the proxy; each is made on first use and keeps
/// its connections alive across polls.
public final class HTTPTransport: Sendable {
    /// Which CAs to trust and which proxies to use.
    public let settings: NetworkSettings
    /// How long one attempt may take, connecting included.
    public let requestTimeout: Duration
    /// Connections kept open per host: as many as polls may be in flight, so that none waits in
    /// the HTTP client's queue and none is closed after one use.
    public let connectionsPerHost: Int
    private let eventLoopGroup: (any EventLoopGroup)?
    private let clients = Mutex<[ProxyServer?: HTTPClient]>([:])
    let diagnoses: CertificateDiagnosisCache

    /// - Parameter eventLoopGroup: the event loops its connections live on (NIO's shared
    ///   singleton group by default); the caller shuts a group of its own down after
    ///   ``shutdown()``.
    public init(
        settings: NetworkSettings = .direct, requestTimeout: Duration = .seconds(10), connectionsPerHost: Int = 8,
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) {
        self.settings = settings
        self.requestTimeout = requestTimeout
        self.connectionsPerHost = max(1, connectionsPerHost)
        self.eventLoopGroup = eventLoopGroup
        self.diagnoses = CertificateDiagnosisCache()
    }

    /// The way a request to `url` goes out, with `proxies` deciding (the service's, unless
    /// another set is named).
    public func route(to url: URL, proxies: ProxySettings? = nil) -> Route {
        let proxy = (proxies ?? settings.serviceProxies).proxy(for: url)
        return Route(client: client(through: proxy), proxy: proxy)
    }

    /// The client for requests through `proxy` (nil: direct).
    public func client(through proxy: ProxyServer?) -> HTTPClient {
        clients.withLock { clients in
            if let existing = clients[proxy] { return existing }
            let made = makeClient(through: proxy)
            clients[proxy] = made
            return made
        }
    }

    /// An event loop group for connections made outside the HTTP clients (a certificate
    /// diagnosis).
    var group: any EventLoopGroup {
        eventLoopGroup ?? HTTPClient.defaultEventLoopGroup
    }

    /// Shuts every client down; the transport is unusable afterwards.
    public func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all {
            try? await client.shutdown()
        }
    }

    /// No redirects (a redirected request would carry a signature for another URL), no
    /// decompression, connect and read timeouts, certificate verification always on, and no
    /// quiet retries of a failed connection inside the HTTP client: the retry strategy decides,
    /// and a certificate or proxy fault reaches it at once instead of at the deadline.
    private func makeClient(through proxy: ProxyServer?) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: settings.trust.tlsConfiguration,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: TimeAmount(requestTimeout)),
            connectionPool: .init(idleTimeout: .seconds(55), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost),
            proxy: proxy.map(Self.clientProxy),
            decompression: .disabled
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .automatic
        if let eventLoopGroup {
            return HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    private static func clientProxy(_ proxy: ProxyServer) -> HTTPClient.Configuration.Proxy {
        let authorization = proxy.username.flatMap { user in proxy.password.map { HTTPClient.Authorization.basic(username: user, password: $0) } }
        return .server(host: proxy.host, port: proxy.port, authorization: authorization)
    }
}

/// One way out: the client to send with, and the proxy it goes through (nil: direct).
public struct Route: Sendable {
    public let client: HTTPClient
    public let proxy: ProxyServer?

    package init(client: HTTPClient, proxy: ProxyServer?) {
        self.client = client
        self.proxy = proxy
    }
}
