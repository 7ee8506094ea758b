@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import Foundation
import Testing

/// A poll builds its URL and signable request from parts worked out once per endpoint; the
/// result must be what parsing the whole request URL gives, for every form an endpoint takes.
struct RequestTargetTests {
    @Test(arguments: [
        "https://cognito-sync.us-east-1.amazonaws.com",
        "https://cognito-sync-fips.us-gov-west-1.amazonaws.com",
        "http://127.0.0.1:4600",
        "http://127.0.0.1:80",
        "http://localhost:4600/",
        "http://[::1]:4600",
        "https://Proxy.Example.COM:443/cognito",
        "https://proxy.example.com:8443/a%20b/sync/",
    ])
    func buildsWhatParsingTheWholeURLBuilds(endpoint: String) throws {
        let base = try #require(URL(string: endpoint))
        let target = try #require(RequestTarget(ResolvedEndpoint(url: base, source: .explicit, signingRegion: "us-east-1")))
        let path = "/identitypools/\(AWSURIEncoding.encodePathLabel("us-east-1:4f7c2d9a-1b3e-4c8f-a6d2-9e0b5a7c3f14"))/getBulkPublishDetails"

        let built = try #require(target.request(method: "POST", path: path))
        let whole = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) + path : endpoint + path
        let wholeURL = try #require(URL(string: whole))
        let parsed = try #require(SignableRequest(method: "POST", url: wholeURL))

        #expect(built.url.absoluteString == whole)
        #expect(built.unsigned.path == parsed.path)
        #expect(built.unsigned.query == parsed.query)
        #expect(built.unsigned.headers.map { "\($0.name): \($0.value)" } == parsed.headers.map { "\($0.name): \($0.value)" })
    }

    @Test func theHostHeaderDropsOnlyTheSchemesDefaultPort() throws {
        let cases = [
            ("https://Cognito-Sync.us-east-1.amazonaws.com:443", "cognito-sync.us-east-1.amazonaws.com"),
            ("http://127.0.0.1:80", "127.0.0.1"),
            ("http://127.0.0.1:443", "127.0.0.1:443"),
            ("http://[::1]:4600", "[::1]:4600"),
        ]
        for (endpoint, host) in cases {
            let url = try #require(URL(string: endpoint))
            let target = try #require(RequestTarget(ResolvedEndpoint(url: url, source: .explicit, signingRegion: "us-east-1")))
            #expect(target.host == host, "\(endpoint)")
        }
    }
}
