import NIOCore
import NIOHTTP1

/// One connection's HTTP/1.1 exchange: collects a request, asks the simulator what to do, and
/// does it (answer, answer later, or reset). Keep-alive and pipelining come from NIO's server
/// pipeline, which holds further requests until the current answer is complete.
final class SimulatorHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Large bodies are written in slices of this size, all views of one buffer.
    private static let chunkSize = 64 * 1024

    private let simulator: Simulator
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var oversized = false

    init(simulator: Simulator) {
        self.simulator = simulator
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            oversized = false
        case .body(var buffer):
            if oversized || body.count + buffer.readableBytes > Simulator.maximumBodySize {
                oversized = true
                body = []
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body += bytes
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = SimulatorRequest(method: head.method.rawValue, target: head.uri, headers: head.headers, body: body)
            body = []
            let action = oversized ? simulator.rejectOversized(request) : simulator.handle(request)
            perform(action, for: head, oversized: oversized, context: context)
        }
    }

    /// A connection that fails (a peer reset, a write error) is closed; the next request comes
    /// on a new one.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func perform(_ action: SimulatorAction, for head: HTTPRequestHead, oversized: Bool, context: ChannelHandlerContext) {
        // An unread oversized body leaves the connection in an unknown state: close it after answering.
        let keepAlive = head.isKeepAlive && !oversized
        switch action {
        case .respond(let response):
            write(response, version: head.version, keepAlive: keepAlive, context: context)
        case .respondAt(let deadline, let response):
            simulator.clock.wait(until: deadline, on: context.eventLoop).assumeIsolated().whenSuccess {
                self.write(response, version: head.version, keepAlive: keepAlive, context: context)
            }
        case .resetConnection:
            reset(context: context)
        }
    }

    private func write(_ response: SimulatorResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = response.headers
        if response.status != .noContent {
            headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        }
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        switch response.body {
        case .bytes(let bytes):
            if !bytes.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            }
        case .padded(let prefix, let fill, let suffix, let totalSize):
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: prefix)))), promise: nil)
            var remaining = max(0, totalSize - prefix.count - suffix.count)
            let chunk = context.channel.allocator.buffer(repeating: fill, count: min(Self.chunkSize, remaining))
            while remaining > 0 {
                let slice = chunk.getSlice(at: chunk.readerIndex, length: min(remaining, chunk.readableBytes)) ?? chunk
                context.write(wrapOutboundOut(.body(.byteBuffer(slice))), promise: nil)
                remaining -= slice.readableBytes
            }
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: suffix)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive {
                context.close(promise: nil)
            }
        }
    }

    /// Closes with SO_LINGER 0, so the peer gets a TCP RST ("connection reset by peer"), not a
    /// polite end of stream.
    private func reset(context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else {
            context.close(promise: nil)
            return
        }
        // `struct linger { int l_onoff; int l_linger; }` laid out as two Int32s: on, zero seconds.
        let lingerOnZeroSeconds = (Int32(1), Int32(0))
        provider.unsafeSetSocketOption(level: .socket, name: .so_linger, value: lingerOnZeroSeconds).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
