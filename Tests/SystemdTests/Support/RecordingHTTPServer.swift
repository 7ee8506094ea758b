#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Synchronization

/// An HTTP server on a free loopback port that answers every request with one status and keeps
/// what it was sent, for scripts that post to a webhook. Blocking sockets on a thread of its own,
/// so a test may run the script synchronously meanwhile.
final class RecordingHTTPServer: Sendable {
    /// One request as received: the request line, the headers (lower-cased names), the body.
    struct Request: Sendable {
        var line: String
        var headers: [String: String]
        var body: Data
    }

    let port: UInt16
    private let socket: Int32
    private let requests = Mutex<[Request]>([])

    struct SocketError: Error, CustomStringConvertible {
        let step: String
        var description: String { "the test HTTP server could not \(step): \(String(cString: strerror(errno)))" }
    }

    /// Starts answering with `status` (e.g. 200, or 500 to fail the post).
    init(status: Int) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SocketError(step: "open a socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 8) == 0 else {
            close(socket)
            throw SocketError(step: "listen on loopback")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        self.socket = socket
        let listener = socket
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                if let request = Self.read(connection) {
                    self.requests.withLock { $0.append(request) }
                }
                let answer = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                _ = answer.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(connection)
            }
        }
    }

    /// Stops accepting; the thread ends at its next accept.
    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    var received: [Request] { requests.withLock { $0 } }

    /// Reads one request: the head up to the blank line, then Content-Length bytes of body.
    private static func read(_ connection: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator = Data("\r\n\r\n".utf8)
        while true {
            if let end = data.range(of: separator) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                var headers: [String: String] = [:]
                for line in head.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if data.count - end.upperBound >= length {
                    return Request(line: head.first ?? "", headers: headers, body: data[end.upperBound..<(end.upperBound + length)])
                }
            }
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data.append(contentsOf: buffer[..<count])
        }
    }
}
