import NIOCore
public import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that answers through a closure and
/// records every request, so tests can check exactly what a client sent.
public final class LoopbackHTTPServer: Sendable {
    /// A request as received.
    public struct Request: Sendable, CustomStringConvertible {
        public var method: HTTPMethod
        public var uri: String
        public var version: HTTPVersion
        public var headers: HTTPHeaders
        public var body: String

        public var description: String { "\(method) \(uri)" }
    }

    /// What to answer.
    public enum Reply: Sendable {
        case respond(status: HTTPResponseStatus, body: String)
        /// Never answer: the client must time out.
        case hang

        public static func ok(_ body: String) -> Reply { .respond(status: .ok, body: body) }
        public static func status(_ status: HTTPResponseStatus) -> Reply { .respond(status: status, body: "") }
    }

    private let channel: any Channel
    private let log: RequestLog

    /// `http://127.0.0.1:<port>`, no trailing slash.
    public let baseURL: String

    /// Starts listening; `reply` runs on the server's event loop for every request.
    public init(reply: @escaping @Sendable (Request) -> Reply) async throws {
        let log = RequestLog()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(log: log, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            throw ChannelError.unknownLocalAddress
        }
        self.log = log
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    /// Every request received so far, in order.
    public var requests: [Request] { log.all }

    public func shutdown() async throws {
        try await channel.close()
    }

    private final class RequestLog: Sendable {
        private let requests = Mutex<[Request]>([])

        func append(_ request: Request) {
            requests.withLock { $0.append(request) }
        }

        var all: [Request] { requests.withLock { $0 } }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let log: RequestLog
        private let reply: @Sendable (Request) -> Reply
        private var head: HTTPRequestHead?
        private var body = ""

        init(log: RequestLog, reply: @escaping @Sendable (Request) -> Reply) {
            self.log = log
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = ""
            case .body(let buffer):
                body += String(buffer: buffer)
            case .end:
                guard let head else { return }
                let request = Request(method: head.method, uri: head.uri, version: head.version, headers: head.headers, body: body)
                log.append(request)
                guard case .respond(let status, let text) = reply(request) else { return }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "\(text.utf8.count)")
                headers.add(name: "Connection", value: "close")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                    bound.value.close(promise: nil)
                }
            }
        }
    }
}
