public import Model
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// `GET /metrics` over HTTP/1.1, answered with what `render` returns.
///
/// The endpoint has a thread of its own: rendering 10,000 pools' series takes milliseconds, and
/// a scrape must never hold a poll back on the daemon's loop.
public final class MetricsEndpoint: Sendable {
    /// Where it listens; the port the system chose when the configuration said 0.
    public let address: ListenAddress
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// Starts listening.
    /// - Throws: ``MetricsEndpointError`` naming the address and what to do.
    public static func start(
        at address: ListenAddress, render: @escaping @Sendable () -> [UInt8]
    ) async throws(MetricsEndpointError) -> MetricsEndpoint {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.backlog, value: 64)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(render: render))
                    }
                }
                .bind(host: address.host, port: address.port)
                .get()
            let bound = ListenAddress(host: address.host, port: channel.localAddress?.port ?? address.port)
            return MetricsEndpoint(address: bound, group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            throw MetricsEndpointError(address: address, cause: error)
        }
    }

    private init(address: ListenAddress, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.address = address
        self.group = group
        self.channel = channel
    }

    /// Stops listening and ends the endpoint's thread.
    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// The metrics endpoint could not listen.
public struct MetricsEndpointError: Error, CustomStringConvertible {
    public var address: ListenAddress
    /// The system's reason, for the debug log.
    public var cause: any Error

    public var description: String {
        let reason: String
        switch (cause as? IOError)?.errnoCode {
        case EADDRINUSE?: reason = "another program already listens on that port; choose another in metrics.listen"
        case EADDRNOTAVAIL?: reason = "this machine has no such address; use one of its own, e.g. 127.0.0.1"
        case EACCES?: reason = "ports below 1024 need privileges the service does not have; choose a port of 1024 or more"
        default:
            reason = cause is SocketAddressError
                ? "the host name does not resolve; use an IP address such as 127.0.0.1" : "the system refused to listen there"
        }
        return "cannot serve metrics on \(address): \(reason)"
    }
}

/// Answers one connection's requests: the metrics at `/metrics`, a pointer to them at `/`.
private final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () -> [UInt8]
    private var request: HTTPRequestHead?

    init(render: @escaping @Sendable () -> [UInt8]) {
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        var headers = HTTPHeaders()
        let status: HTTPResponseStatus
        var body: [UInt8]
        if head.method != .GET && head.method != .HEAD {
            status = .methodNotAllowed
            headers.add(name: "Allow", value: "GET, HEAD")
            body = Array("only GET and HEAD\n".utf8)
        } else if path == "/metrics" {
            status = .ok
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            body = render()
        } else if path == "/" {
            status = .ok
            body = Array("cognito-sync-watcher: the metrics are at /metrics\n".utf8)
        } else {
            status = .notFound
            body = Array("not found: the metrics are at /metrics\n".utf8)
        }
        if headers["Content-Type"].isEmpty { headers.add(name: "Content-Type", value: "text/plain; charset=utf-8") }
        headers.add(name: "Content-Length", value: "\(body.count)")
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        if head.method == .HEAD { body = [] }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            let channel = context.channel
            done.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
