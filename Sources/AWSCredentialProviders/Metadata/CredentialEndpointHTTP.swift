import AWSCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The small HTTP exchange the container and instance-metadata sources need: one request with a
/// short time limit, the status and a bounded body back.
///
/// botocore reaches the container endpoint directly and instance metadata through the
/// environment's proxies (`NO_PROXY=169.254.169.254` is the usual advice on proxied hosts).
struct CredentialEndpointHTTP: Sendable {
    /// A response worth looking at.
    struct Response: Sendable {
        var status: UInt
        var body: String
    }

    /// The request did not produce a response (refused, timed out, reset, a proxy fault…).
    struct TransportError: Error, CustomStringConvertible {
        var timedOut: Bool
        /// The failure in plain words, when it was about the connection.
        var failure: ConnectionFailure?
        var description: String {
            if let failure, failure.proxy != nil || failure.isLasting { return failure.message }
            return timedOut ? "timed out" : "could not connect"
        }
    }

    /// Metadata documents are small; a large body is not credentials.
    static let bodyLimit = 64 * 1024

    let transport: HTTPTransport
    /// The proxies to follow; `.direct` for none.
    let proxies: ProxySettings

    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)], timeout: Duration
    ) async throws(TransportError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        let amount = TimeAmount(timeout)
        let route = URL(string: url).map { transport.route(to: $0, proxies: proxies) } ?? Route(client: transport.client(through: nil), proxy: nil)
        do {
            let response = try await route.client.execute(request, timeout: amount)
            let body = try await response.body.collect(upTo: Self.bodyLimit)
            return Response(status: response.status.code, body: String(buffer: body))
        } catch {
            let timedOut = (error as? HTTPClientError).map { $0 == .deadlineExceeded || $0 == .connectTimeout || $0 == .readTimeout } ?? false
            let endpoint = URL(string: url).map { "\($0.host ?? "?"):\($0.port ?? 80)" } ?? "?"
            throw TransportError(
                timedOut: timedOut,
                failure: ConnectionFailure.classify(error, endpoint: endpoint, proxy: route.proxy, trust: transport.settings.trust))
        }
    }
}
