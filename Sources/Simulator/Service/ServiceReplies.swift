import AWSSigning
import Foundation
import Model
import NIOHTTP1

/// Turns results into responses shaped like the real service's: `application/json`, a fresh
/// `x-amzn-RequestId`, errors with `x-amzn-ErrorType` and a `{"__type", "message"}` body.
enum ServiceReplies {
    static func success(_ body: [UInt8], now: Date) -> SimulatorResponse {
        SimulatorResponse(status: .ok, headers: serviceHeaders(now: now), body: .bytes(body))
    }

    static func error(_ error: ServiceError, now: Date) -> SimulatorResponse {
        var headers = serviceHeaders(now: now)
        headers.add(name: "x-amzn-ErrorType", value: error.errorTypeHeader)
        if let retryAfter = error.retryAfterMilliseconds {
            headers.add(name: "x-amz-retry-after", value: String(retryAfter))
        }
        if let allow = error.allow {
            headers.add(name: "Allow", value: allow)
        }
        let body = json(["__type": error.code, "message": error.message])
        return SimulatorResponse(status: HTTPResponseStatus(statusCode: error.status), headers: headers, body: .bytes(body))
    }

    /// A load balancer's own error page: HTML, and none of the service's headers.
    static func badGatewayPage(now: Date) -> SimulatorResponse {
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: "awselb/2.0")
        headers.add(name: "Date", value: HTTPDate.format(now))
        headers.add(name: "Content-Type", value: "text/html")
        return SimulatorResponse(status: .badGateway, headers: headers, body: .bytes(Array(page.utf8)))
    }

    /// The body of a successful `GetBulkPublishDetails`.
    static func detailsBody(_ details: BulkPublishDetails) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(details))) ?? Array("{}".utf8)
    }

    /// The body of a successful `BulkPublish`.
    static func bulkPublishBody(pool: IdentityPoolID) -> [UInt8] {
        json(["IdentityPoolId": pool.rawValue])
    }

    /// The body of the Identity Center portal's `GetRoleCredentials` (expiration in milliseconds).
    static func roleCredentialsBody(_ credential: ScenarioCredential, expiration: Date) -> [UInt8] {
        let object: [String: Any] = ["roleCredentials": [
            "accessKeyId": credential.accessKeyID, "secretAccessKey": credential.secretAccessKey,
            "sessionToken": credential.sessionToken ?? "", "expiration": Int64(expiration.timeIntervalSince1970 * 1000),
        ]]
        return (try? Array(JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))) ?? Array("{}".utf8)
    }

    /// The first half of a JSON body: what a client sees when the stream is cut short.
    static func truncated(_ body: [UInt8]) -> [UInt8] {
        Array(body.prefix(max(1, body.count / 2)))
    }

    /// A valid JSON object of at least `size` bytes: the real fields plus a padding member,
    /// which every AWS SDK ignores as an unknown field.
    static func padded(_ body: [UInt8], to size: Int) -> ResponseBody {
        var prefix = body
        if prefix.last == UInt8(ascii: "}") { prefix.removeLast() }
        prefix += Array((prefix.count > 1 ? ",\"Padding\":\"" : "\"Padding\":\"").utf8)
        let suffix = Array("\"}".utf8)
        return .padded(prefix: prefix, fill: UInt8(ascii: "x"), suffix: suffix, totalSize: max(size, prefix.count + suffix.count))
    }

    static func json(_ object: [String: String]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(object))) ?? Array("{}".utf8)
    }

    private static func serviceHeaders(now: Date) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: HTTPDate.format(now))
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "x-amzn-RequestId", value: UUID().uuidString.lowercased())
        return headers
    }
}
