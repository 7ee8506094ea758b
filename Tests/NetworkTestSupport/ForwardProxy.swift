import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A forward proxy on loopback, for tests: it answers `CONNECT host:port` with a tunnel to the
/// target, as squid and corporate proxies do, after checking Basic credentials when it has
/// some. It records every CONNECT it saw and the `Proxy-Authorization` that came with it.
public final class ForwardProxy: Sendable {
    /// One CONNECT request as the proxy saw it.
    public struct Request: Sendable, Equatable {
        /// `host:port` asked for.
        public var target: String
        /// The `Proxy-Authorization` header, if any.
        public var authorization: String?
        /// The status the proxy answered with.
        public var status: Int

        public init(target: String, authorization: String?, status: Int) {
            self.target = target
            self.authorization = authorization
            self.status = status
        }
    }

    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    private let channel: any Channel
    private let log: Log

    /// Starts a proxy; with `credentials`, a CONNECT without them (or with others) gets 407.
    /// Targets listed in `refusing` get 403, as a proxy's rules would answer.
    public static func start(credentials: (user: String, password: String)? = nil, refusing: Set<String> = []) async throws -> ForwardProxy {
        let expected = credentials.map { "Basic " + Data("\($0.user):\($0.password)".utf8).base64EncodedString() }
        let log = Log()
        let rules = Rules(expectedAuthorization: expected, refusing: refusing)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    try channel.pipeline.syncOperations.addHandler(decoder, name: "decoder")
                    try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder(), name: "encoder")
                    try channel.pipeline.syncOperations.addHandler(ConnectHandler(rules: rules, log: log), name: "connect")
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        return ForwardProxy(port: port, channel: channel, log: log)
    }

    private init(port: Int, channel: any Channel, log: Log) {
        self.port = port
        self.channel = channel
        self.log = log
    }

    /// Every CONNECT seen so far, in order.
    public var requests: [Request] { log.requests.withLock { $0 } }

    /// Stops listening; tunnels already open close with their peers.
    public func shutdown() async {
        try? await channel.close()
    }

    fileprivate struct Rules: Sendable {
        var expectedAuthorization: String?
        var refusing: Set<String>
    }

    fileprivate final class Log: Sendable {
        let requests = Mutex<[Request]>([])
    }
}

/// Answers the one CONNECT a connection starts with, then becomes a byte pipe.
private final class ConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let rules: ForwardProxy.Rules
    private let log: ForwardProxy.Log
    private var head: HTTPRequestHead?
    private var buffered: [ByteBuffer] = []
    private var answered = false

    init(rules: ForwardProxy.Rules, log: ForwardProxy.Log) {
        self.rules = rules
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head, !answered else { return }
            answered = true
            handle(head, context: context)
        }
    }

    private func handle(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let authorization = head.headers.first(name: "Proxy-Authorization")
        func record(_ status: Int) {
            log.requests.withLock { $0.append(.init(target: head.uri, authorization: authorization, status: status)) }
        }
        guard head.method == .CONNECT else {
            record(405)
            respond(.methodNotAllowed, context: context, close: true)
            return
        }
        if let expected = rules.expectedAuthorization, authorization != expected {
            record(407)
            respond(.proxyAuthenticationRequired, headers: [("Proxy-Authenticate", "Basic realm=\"test\"")], context: context, close: true)
            return
        }
        if rules.refusing.contains(head.uri) {
            record(403)
            respond(.forbidden, context: context, close: true)
            return
        }
        guard let colon = head.uri.lastIndex(of: ":"), let port = Int(head.uri[head.uri.index(after: colon)...]) else {
            record(400)
            respond(.badRequest, context: context, close: true)
            return
        }
        let host = String(head.uri[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let client = context.channel
        ClientBootstrap(group: context.eventLoop)
            .connect(host: host, port: port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let target):
                    record(200)
                    self.respond(.ok, context: context, close: false)
                    do {
                        let pipeline = client.pipeline.syncOperations
                        pipeline.removeHandler(name: "encoder", promise: nil)
                        pipeline.removeHandler(name: "decoder", promise: nil)
                        let (clientSide, targetSide) = Pipe.pair()
                        try pipeline.addHandler(clientSide)
                        try target.pipeline.syncOperations.addHandler(targetSide)
                        pipeline.removeHandler(self, promise: nil)
                    } catch {
                        client.close(promise: nil)
                        target.close(promise: nil)
                    }
                case .failure:
                    record(502)
                    self.respond(.badGateway, context: context, close: true)
                }
            }
    }

    private func respond(_ status: HTTPResponseStatus, headers: [(String, String)] = [], context: ChannelHandlerContext, close: Bool) {
        var head = HTTPResponseHead(version: .http1_1, status: status, headers: HTTPHeaders(headers))
        if close { head.headers.add(name: "Connection", value: "close") }
        head.headers.add(name: "Content-Length", value: "0")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// Two handlers that pass bytes between two channels of one event loop, each closing the other
/// when it closes.
private final class Pipe: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: Pipe?
    private var context: ChannelHandlerContext?

    static func pair() -> (Pipe, Pipe) {
        let first = Pipe()
        let second = Pipe()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.send(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.closeChannel()
        context.fireChannelInactive()
    }

    /// Both channels of a tunnel live on one event loop (the target is connected from the
    /// client's), so a write to the partner needs no hop.
    private func send(_ buffer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func closeChannel() {
        guard let context else { return }
        context.channel.close(promise: nil)
    }
}
