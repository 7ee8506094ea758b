public import NIOHTTP1

/// A request as the simulator received it: method, target (path and query as sent), headers and
/// body.
public struct SimulatorRequest: Sendable {
    public var method: String
    /// The request target as it came on the request line, e.g. `/identitypools/us-east-1%3A…/getBulkPublishDetails`.
    public var target: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The path part of the target.
    var path: Substring {
        target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
    }

    /// The query part of the target, without the `?`; `nil` when there is none.
    var query: Substring? {
        target.firstIndex(of: "?").map { target[target.index(after: $0)...] }
    }
}
