public import Foundation
public import NIOHTTP1

/// An answer to send: status, headers and body.
public struct SimulatorResponse: Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ResponseBody

    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: ResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response body, either bytes or a large padded one produced while it is written.
public enum ResponseBody: Sendable, Equatable {
    case bytes([UInt8])
    /// `prefix`, then `fill` repeated, then `suffix`: `totalSize` bytes in all. Lets a `huge`
    /// fault send megabytes without holding them in memory.
    case padded(prefix: [UInt8], fill: UInt8, suffix: [UInt8], totalSize: Int)

    /// The number of bytes on the wire.
    public var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .padded(_, _, _, let totalSize): totalSize
        }
    }

    /// The whole body; for tests and small bodies.
    public var bytes: [UInt8] {
        switch self {
        case .bytes(let bytes):
            return bytes
        case .padded(let prefix, let fill, let suffix, let totalSize):
            return prefix + [UInt8](repeating: fill, count: max(0, totalSize - prefix.count - suffix.count)) + suffix
        }
    }
}

/// What the connection must do with a request.
public enum SimulatorAction: Sendable, Equatable {
    /// Answer now.
    case respond(SimulatorResponse)
    /// Answer once the simulator's clock reaches the deadline.
    case respondAt(Date, SimulatorResponse)
    /// Reset the connection without answering.
    case resetConnection
}
