import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NetworkTestSupport

/// A request as the test sends it, headers in order.
struct TestRequest: Sendable {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: [UInt8] = []
}

/// A response as the test received it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers.first(name: name) }
}

enum TestClientError: Error, Equatable {
    /// The server closed the connection before a complete response.
    case closedWithoutResponse
}

/// One HTTP/1.1 connection to the simulator, for a test to drive request by request.
final class TestConnection {
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator

    fileprivate init(outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>,
                     inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator) {
        self.outbound = outbound
        self.inbound = inbound
    }

    func write(_ request: TestRequest) async throws {
        var headers = HTTPHeaders()
        for header in request.headers {
            headers.add(name: header.name, value: header.value)
        }
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: request.target, headers: headers)
        try await outbound.write(.head(head))
        if !request.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: request.body))))
        }
        try await outbound.write(.end(nil))
    }

    /// The next complete response; throws ``TestClientError/closedWithoutResponse`` at end of stream.
    func readResponse() async throws -> TestResponse {
        var response: TestResponse?
        while let part = try await inbound.next() {
            switch part {
            case .head(let head):
                response = TestResponse(status: Int(head.status.code), headers: head.headers, body: [])
            case .body(var buffer):
                response?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                if let response { return response }
            }
        }
        throw TestClientError.closedWithoutResponse
    }

    func send(_ request: TestRequest) async throws -> TestResponse {
        try await write(request)
        return try await readResponse()
    }

    /// Reads until the server closes the connection; `true` when nothing else arrived first.
    func waitForClose() async throws -> Bool {
        var quiet = true
        while try await inbound.next() != nil {
            quiet = false
        }
        return quiet
    }
}

/// Opens connections to a port on loopback: HTTPS trusting the test CA, as the simulator serves,
/// or plain HTTP for the tests of a simulator started without TLS.
struct TestHTTPClient: Sendable {
    var port: Int
    var tls = true

    func withConnection<Result: Sendable>(_ body: (TestConnection) async throws -> Result) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: TestTLS.clientContext, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(TestConnection(outbound: outbound, inbound: inbound.makeAsyncIterator()))
        }
    }

    /// Sends one request on a new connection.
    func send(_ request: TestRequest) async throws -> TestResponse {
        try await withConnection { try await $0.send(request) }
    }
}
