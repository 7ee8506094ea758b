import AWSCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One request to an IAM Identity Center endpoint (the portal, its OIDC service) over the
/// transport's way out to it: the status and a bounded body back, or the fault in plain words.
enum IdentityCenterHTTP {
    /// The request did not produce a response.
    struct Failure: Error {
        /// What went wrong, naming the host.
        var message: String
        /// A fault someone has to fix (a certificate, a proxy), not one that may pass.
        var isLasting: Bool
    }

    /// Answers are a few hundred bytes.
    static let bodyLimit = 64 * 1024

    static func send(
        _ request: HTTPClientRequest, to endpoint: URL, transport: HTTPTransport
    ) async throws(Failure) -> (status: UInt, body: [UInt8]) {
        var request = request
        request.headers.add(name: "User-Agent", value: UserAgent.value)
        let route = transport.route(to: endpoint)
        let host = endpoint.host ?? "?"
        do {
            let response = try await route.client.execute(request, timeout: TimeAmount(transport.requestTimeout))
            let body = try await response.body.collect(upTo: bodyLimit)
            return (response.status.code, Array(body.readableBytesView))
        } catch {
            let failure = ConnectionFailure.classify(
                error, endpoint: "\(host):\(endpoint.port ?? 443)", proxy: route.proxy, trust: transport.settings.trust)
            throw Failure(message: failure?.message ?? "the request to \(host) did not complete", isLasting: failure?.isLasting == true)
        }
    }
}
