#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// A datagram socket standing in for systemd's notification socket.
public final class NotifySocket: Sendable {
    public let path: String
    private let directory: String
    private let descriptor: Int32

    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws {
        var template = Array("\(NSTemporaryDirectory())/notify.XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw SetupError(description: "mkdtemp failed: errno \(errno)") }
        directory = String(cString: created)
        path = directory + "/notify"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SetupError(description: "socket failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SetupError(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw SetupError(description: "bind failed: errno \(errno)") }
        // A bound on waiting, should a notification never come; not a delay any test relies on.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        unlink(path)
        rmdir(directory)
    }

    /// The next datagram, or `nil` if none arrives.
    public func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Whether a datagram is waiting, without waiting for one.
    public func hasPending() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1)
        return recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT | MSG_PEEK)) >= 0
    }

    /// Receives datagrams (on a thread of its own: each wait blocks) until one holds `line`
    /// as one of its lines; every datagram received up to it, or nil if none came within
    /// `timeout` (a bound on the wait, not a delay anything relies on).
    public func receive(untilLine line: String, timeout: Duration) async -> [String]? {
        await onOwnThread {
            let deadline = ContinuousClock.now + timeout
            var received: [String] = []
            while ContinuousClock.now < deadline {
                guard let datagram = self.receive() else { continue }
                received.append(datagram)
                if datagram.split(separator: "\n").contains(Substring(line)) { return received }
            }
            return nil
        }
    }
}
