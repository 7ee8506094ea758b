import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The small HTTP exchange the container and instance-metadata sources need: one request with a
/// short time limit, the status and a bounded body back.
struct CredentialEndpointHTTP: Sendable {
    /// A response worth looking at.
    struct Response: Sendable {
        var status: UInt
        var body: String
    }

    /// The request did not produce a response (refused, timed out, reset…).
    struct TransportError: Error, CustomStringConvertible {
        var timedOut: Bool
        var description: String { timedOut ? "timed out" : "could not connect" }
    }

    /// Metadata documents are small; a large body is not credentials.
    static let bodyLimit = 64 * 1024

    let client: HTTPClient

    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)], timeout: Duration
    ) async throws(TransportError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        let amount = TimeAmount.nanoseconds(
            timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(request, timeout: amount)
            let body = try await response.body.collect(upTo: Self.bodyLimit)
            return Response(status: response.status.code, body: String(buffer: body))
        } catch let error as HTTPClientError {
            throw TransportError(timedOut: error == .deadlineExceeded || error == .connectTimeout || error == .readTimeout)
        } catch {
            throw TransportError(timedOut: false)
        }
    }
}
