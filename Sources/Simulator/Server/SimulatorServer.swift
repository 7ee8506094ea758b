public import Logging
public import NIOCore
import NIOHTTP1
public import NIOPosix
import NIOSSL
import Synchronization

/// The simulator on the network: an HTTP/1.1 listener (keep-alive, pipelining), over TLS when
/// given a ``SimulatorTLS``, that hands every request to a ``Simulator``.
///
/// ```swift
/// let server = try await SimulatorServer.start(simulator: simulator, port: 0, tls: tls)
/// // … point a client at server.endpoint, trusting the CA that issued the certificate …
/// try await server.shutdown()
/// ```
public final class SimulatorServer: Sendable {
    public let simulator: Simulator
    /// The address it listens on.
    public let host: String
    /// The bound port (the one the system chose when asked for port 0).
    public let port: Int
    /// Whether it serves HTTPS.
    public let servesTLS: Bool

    private let serverChannel: any Channel
    private let registry: Registry
    private let logger: Logger

    private init(simulator: Simulator, host: String, port: Int, servesTLS: Bool, serverChannel: any Channel, registry: Registry, logger: Logger) {
        self.simulator = simulator
        self.host = host
        self.port = port
        self.servesTLS = servesTLS
        self.serverChannel = serverChannel
        self.registry = registry
        self.logger = logger
    }

    /// Binds and starts serving.
    /// - Parameters:
    ///   - host: the address to bind; loopback by default, because the admin API is unauthenticated.
    ///   - port: 0 for a port the system chooses (read it from ``port``).
    ///   - tls: the certificate and key to serve HTTPS with; nil serves plain HTTP.
    public static func start(
        simulator: Simulator,
        host: String = "127.0.0.1",
        port: Int = 0,
        tls: SimulatorTLS? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "cognito-sync-simulator")
    ) async throws -> SimulatorServer {
        let registry = Registry()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                registry.add(channel)
                simulator.recordConnection()
                return channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(SimulatorHTTPHandler(simulator: simulator))
                }
            }
            .bind(host: host, port: port)
            .get()
        guard let boundPort = channel.localAddress?.port else {
            try? await channel.close()
            throw SimulatorServerError(message: "the listener on \(host):\(port) has no local port")
        }
        logger.info("listening", metadata: ["host": "\(host)", "port": "\(boundPort)", "tls": "\(tls != nil)"])
        return SimulatorServer(simulator: simulator, host: host, port: boundPort, servesTLS: tls != nil, serverChannel: channel,
                               registry: registry, logger: logger)
    }

    /// The URL a client points its endpoint at: `https://127.0.0.1:PORT` (or `http://…`).
    public var endpoint: String {
        let authority = host.contains(":") ? "[\(host)]" : host
        return "\(servesTLS ? "https" : "http")://\(authority):\(port)"
    }

    /// Stops accepting, closes every open connection (answers held by a `slow` fault are
    /// dropped) and returns once all are closed.
    public func shutdown() async throws {
        try? await serverChannel.close()
        let open = registry.connections.withLock { Array($0.values) }
        for connection in open {
            try? await connection.close()
        }
        logger.info("stopped", metadata: ["port": "\(port)"])
    }

    /// How many connections the listener has accepted since the request log was last cleared:
    /// lets a test see that a client keeps its connections alive.
    public var connectionsAccepted: Int {
        simulator.requestLog.connections
    }

    /// Returns when the listener is closed, by ``shutdown()`` or an error.
    public func waitUntilClosed() async throws {
        try await serverChannel.closeFuture.get()
    }

    /// Tracks open connections so shutdown can close them.
    private final class Registry: Sendable {
        let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

        func add(_ channel: any Channel) {
            let key = ObjectIdentifier(channel)
            connections.withLock { $0[key] = channel }
            channel.closeFuture.whenComplete { [weak self] _ in
                self?.connections.withLock { _ = $0.removeValue(forKey: key) }
            }
        }
    }
}

/// Why the server could not start.
public struct SimulatorServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
