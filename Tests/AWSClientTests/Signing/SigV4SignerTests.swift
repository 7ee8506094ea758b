import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Testing
import AWSSigning

struct SigV4SignerTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    )
    static let temporary = AWSCredentials(
        accessKeyID: "ASIAEXAMPLE",
        secretAccessKey: "temporary/secret+KEY",
        sessionToken: "session-token-value"
    )
    static let august2015 = Date(timeIntervalSince1970: 1_440_938_160)
    static let signer = SigV4Signer(service: "cognito-sync", region: "us-east-1")
    static let poolPath = "/identitypools/us-east-1%3A23EC4050-6AEA-7089-A2DD-08002EXAMPLE/getBulkPublishDetails"

    static func poolRequest(extraHeaders: [(name: String, value: String)] = []) -> SignableRequest {
        SignableRequest(
            method: "POST",
            path: poolPath,
            headers: [("Host", "cognito-sync.us-east-1.amazonaws.com")] + extraHeaders
        )
    }

    // MARK: signing-key cache

    /// A signer with a key cache signs exactly as one without, whatever changes between requests:
    /// the day, the secret, the region.
    @Test func signingKeyCacheChangesNoSignature() {
        let cache = SigV4SigningKeyCache()
        let rotated = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "rotated/secret+KEY")
        let cases: [(region: String, credentials: AWSCredentials, date: Date)] = [
            ("us-east-1", Self.credentials, Self.august2015),
            ("us-east-1", Self.credentials, Self.august2015 + 600),  // same day: from the cache
            ("us-east-1", rotated, Self.august2015 + 700),  // rotated secret
            ("us-east-1", Self.credentials, Self.august2015 + 86_400),  // next day
            ("eu-west-1", Self.credentials, Self.august2015 + 86_400),  // another region
            ("us-east-1", Self.credentials, Self.august2015 + 86_500),
        ]
        for (region, credentials, date) in cases {
            let plain = SigV4Signer(service: "cognito-sync", region: region)
            let cached = SigV4Signer(service: "cognito-sync", region: region, keyCache: cache)
            let expected = plain.sign(Self.poolRequest(), credentials: credentials, date: date)
            let actual = cached.sign(Self.poolRequest(), credentials: credentials, date: date)
            #expect(actual.firstValue(forHeader: "authorization") == expected.firstValue(forHeader: "authorization"), "\(region) \(date)")
        }
    }

    // MARK: canonical request

    @Test func wirePathIsEncodedAgainForNonS3Services() {
        let canonical = Self.signer.canonicalRequest(for: Self.poolRequest())
        let lines = canonical.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "/identitypools/us-east-1%253A23EC4050-6AEA-7089-A2DD-08002EXAMPLE/getBulkPublishDetails")
    }

    @Test func s3SignsTheWirePathUntouched() {
        let s3 = SigV4Signer(service: "s3", region: "us-east-1", doubleEncodePath: false)
        let request = SignableRequest(
            method: "GET",
            path: "/bucket/a%3Ab/./c//d",
            headers: [("Host", "s3.amazonaws.com")]
        )
        let lines = s3.canonicalRequest(for: request).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "/bucket/a%3Ab/./c//d")
    }

    @Test(arguments: [
        ("/", "/"),
        ("", "/"),
        ("/a/b/../c", "/a/c"),
        ("/a/./b/", "/a/b/"),
        ("//a//b//", "/a/b/"),
        ("/../..", "/"),
        ("/a/..", "/"),
        ("/a b", "/a%20b"),
        ("/a%2Fb", "/a%252Fb"),
        ("/~user/x_y-z.w", "/~user/x_y-z.w"),
        ("/caf\u{E9}", "/caf%C3%A9"),
        ("/a+b=c", "/a%2Bb%3Dc"),
    ])
    func canonicalURI(path: String, expected: String) {
        let request = SignableRequest(method: "GET", path: path, headers: [("Host", "h")])
        let lines = Self.signer.canonicalRequest(for: request).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        #expect(lines[1] == expected)
    }

    @Test(
        arguments: [
            (nil, ""),
            ("", ""),
            ("b=2&a=1", "a=1&b=2"),
            ("a=2&a=1&A=3", "A=3&a=1&a=2"),
            ("key", "key="),
            ("key=", "key="),
            ("a=x%2fy", "a=x%2Fy"),
            ("a=x/y", "a=x%2Fy"),
            ("a=b+c", "a=b%2Bc"),
            ("a=%20", "a=%20"),
            ("a=%zz", "a=%25zz"),
            ("a=1&&b=2", "a=1&b=2"),
            ("e=%E1%88%B4", "e=%E1%88%B4"),
        ] as [(String?, String)]
    )
    func canonicalQuery(query: String?, expected: String) {
        let request = SignableRequest(method: "GET", path: "/", query: query, headers: [("Host", "h")])
        let lines = Self.signer.canonicalRequest(for: request).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        #expect(lines[2] == expected)
    }

    @Test func headersBotocoreNeverSignsAreLeftOut() {
        let request = Self.poolRequest(extraHeaders: [
            ("User-Agent", "cognito-sync-watcher/1.0"), ("Expect", "100-continue"), ("X-Amzn-Trace-Id", "Root=1"),
            ("Connection", "keep-alive"), ("Transfer-Encoding", "chunked"), ("Content-Length", "0"),
        ])
        #expect(Self.signer.signedHeaders(for: request) == ["content-length", "host"])
    }

    @Test func headerValuesAreTrimmedAndRepeatedNamesJoined() {
        let request = SignableRequest(
            method: "GET",
            path: "/",
            headers: [("Host", "h"), ("X-B", "  one \t two  "), ("x-a", "1"), ("X-A", " 2 ")]
        )
        let text = Self.signer.canonicalRequest(for: request)
        #expect(text.contains("\nhost:h\nx-a:1,2\nx-b:one two\n\nhost;x-a;x-b\n"))
    }

    @Test func payloadHashCoversTheBodyOrTheDeclaredHash() {
        func payloadHash(_ request: SignableRequest) -> Substring? {
            Self.signer.canonicalRequest(for: request).split(separator: "\n").last
        }
        var request = SignableRequest(
            method: "POST",
            path: "/",
            headers: [("Host", "h")],
            body: Array("Param1=value1".utf8)
        )
        #expect(payloadHash(request) == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        request.headers.append(("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"))
        #expect(payloadHash(request) == "UNSIGNED-PAYLOAD")
        #expect(payloadHash(Self.poolRequest()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func intermediateStepsComposeIntoTheSignatureSent() throws {
        let signed = Self.signer.sign(Self.poolRequest(), credentials: Self.temporary, date: Self.august2015)
        let authorization = try SigV4Authorization(parsing: signed.firstValue(forHeader: "authorization") ?? "")
        let canonical = Self.signer.canonicalRequest(for: signed, signedHeaders: authorization.signedHeaders)
        let stringToSign = Self.signer.stringToSign(canonicalRequest: canonical, date: Self.august2015)
        #expect(stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/cognito-sync/aws4_request\n"))
        let fromSteps = Self.signer.signature(
            stringToSign: stringToSign,
            secretAccessKey: Self.temporary.secretAccessKey,
            date: Self.august2015
        )
        let fromRequest = Self.signer.signature(
            for: signed,
            signedHeaders: authorization.signedHeaders,
            credentials: Self.temporary,
            date: Self.august2015
        )
        #expect(fromSteps == authorization.signature)
        #expect(fromRequest == authorization.signature)
        #expect(authorization.signedHeaders == ["host", "x-amz-date", "x-amz-security-token"])
        #expect(Self.signer.signedHeaders(for: Self.poolRequest(extraHeaders: [("User-Agent", "x")])) == ["host"])
        #expect(Self.signer.credentialScope(for: Self.august2015) == "20150830/us-east-1/cognito-sync/aws4_request")
    }

    // MARK: signing

    @Test func signingAddsDateTokenAndAuthorization() {
        let signed = Self.signer.sign(Self.poolRequest(), credentials: Self.temporary, date: Self.august2015)
        #expect(signed.headers.map(\.name) == ["Host", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(signed.firstValue(forHeader: "x-amz-date") == "20150830T123600Z")
        #expect(signed.firstValue(forHeader: "x-amz-security-token") == "session-token-value")
        let authorization = signed.firstValue(forHeader: "authorization") ?? ""
        #expect(
            authorization.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20150830/us-east-1/cognito-sync/aws4_request, "
            )
        )
        #expect(authorization.contains(", SignedHeaders=host;x-amz-date;x-amz-security-token, Signature="))
    }

    @Test func longLivedCredentialsSendNoToken() {
        let signed = Self.signer.sign(Self.poolRequest(), credentials: Self.credentials, date: Self.august2015)
        #expect(signed.values(forHeader: "X-Amz-Security-Token").isEmpty)
        #expect((signed.firstValue(forHeader: "authorization") ?? "").contains("SignedHeaders=host;x-amz-date,"))
    }

    @Test func resigningReplacesTheOldSignatureDateAndToken() {
        let first = Self.signer.sign(Self.poolRequest(), credentials: Self.temporary, date: Self.august2015)
        let later = Self.august2015.addingTimeInterval(90)
        let again = Self.signer.sign(first, credentials: Self.temporary, date: later)
        let fresh = Self.signer.sign(Self.poolRequest(), credentials: Self.temporary, date: later)
        #expect(again.values(forHeader: "authorization") == fresh.values(forHeader: "authorization"))
        #expect(again.values(forHeader: "x-amz-date") == ["20150830T123730Z"])
        #expect(again.values(forHeader: "x-amz-security-token").count == 1)
    }

    @Test func anExistingDateHeaderIsRewrittenInsteadOfAddingXAmzDate() {
        let request = Self.poolRequest(extraHeaders: [("Date", "yesterday"), ("X-Amz-Date", "stale")])
        let signed = Self.signer.sign(request, credentials: Self.credentials, date: Self.august2015)
        #expect(signed.values(forHeader: "date") == ["Sun, 30 Aug 2015 12:36:00 -0000"])
        #expect(signed.values(forHeader: "x-amz-date").isEmpty)
        #expect((signed.firstValue(forHeader: "authorization") ?? "").contains("SignedHeaders=date;host,"))
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 -0000"),
        (-86_400.0, "Wed, 31 Dec 1969 00:00:00 -0000"),
        (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 -0000"),
        (1_714_979_289.0, "Mon, 06 May 2024 07:08:09 -0000"),
    ])
    func theRewrittenDateHeaderIsBotocoresRFC1123Form(seconds: Double, expected: String) {
        let request = Self.poolRequest(extraHeaders: [("Date", "x")])
        let signed = Self.signer.sign(request, credentials: Self.credentials, date: Date(timeIntervalSince1970: seconds))
        #expect(signed.values(forHeader: "date") == [expected])
    }

    @Test func theSignatureDependsOnEverySignedPart() {
        func signature(
            _ request: SignableRequest,
            region: String = "us-east-1",
            date: Date = Self.august2015
        ) -> String {
            SigV4Signer(service: "cognito-sync", region: region)
                .sign(request, credentials: Self.credentials, date: date)
                .firstValue(forHeader: "authorization") ?? ""
        }
        let base = signature(Self.poolRequest())
        var otherPath = Self.poolRequest()
        otherPath.path = otherPath.path.replacingOccurrences(of: "EXAMPLE", with: "EXAMPLF")
        var otherBody = Self.poolRequest()
        otherBody.body = [0x7B, 0x7D]
        let variants = [
            signature(otherPath),
            signature(otherBody),
            signature(Self.poolRequest(extraHeaders: [("X-Extra", "1")])),
            signature(Self.poolRequest(), region: "us-east-2"),
            signature(Self.poolRequest(), date: Self.august2015.addingTimeInterval(1)),
        ]
        #expect(Set(variants + [base]).count == variants.count + 1)
    }

    // MARK: timestamps

    @Test(arguments: [
        (0.0, "19700101T000000Z"),
        (1_440_938_160.0, "20150830T123600Z"),
        (1_440_938_160.999, "20150830T123600Z"),
        (951_782_400.0, "20000229T000000Z"),
        (1_709_251_199.0, "20240229T235959Z"),
        (4_102_444_800.0, "21000101T000000Z"),
        (-1.0, "19691231T235959Z"),
    ])
    func timestampFormatting(seconds: Double, expected: String) {
        let timestamp = SigV4Timestamp(Date(timeIntervalSince1970: seconds))
        #expect(timestamp.amzDate == expected)
        #expect(timestamp.dateStamp == String(expected.prefix(8)))
        #expect(SigV4Timestamp(amzDate: expected) == timestamp)
    }

    @Test(arguments: [
        "", "20150830T123600", "20150830 123600Z", "2015-08-30T12:36:00Z", "20151330T123600Z", "20150230T123600Z",
        "21000229T000000Z", "20150830T243600Z", "20150830T126000Z", "20150830T123660Z", "2015O830T123600Z",
        "20150830T123600Z ", "+2015083T123600Z",
    ])
    func malformedTimestampsAreRejected(text: String) {
        #expect(SigV4Timestamp(amzDate: text) == nil)
    }

    // MARK: encoding and hosts

    @Test(arguments: [
        ("us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE", "us-east-1%3A23EC4050-6AEA-7089-A2DD-08002EXAMPLE"),
        ("eu_west-1:abc", "eu_west-1%3Aabc"),
        ("a b/c", "a%20b%2Fc"),
        ("-._~AZaz09", "-._~AZaz09"),
        ("\u{1234}", "%E1%88%B4"),
        ("100%", "100%25"),
        ("a+b?c#d&e", "a%2Bb%3Fc%23d%26e"),
    ])
    func pathLabelEncoding(label: String, expected: String) {
        #expect(AWSURIEncoding.encodePathLabel(label) == expected)
    }

    @Test func greedyLabelsKeepSlashes() {
        #expect(AWSURIEncoding.encodeGreedyPathLabel("dir/a b:c") == "dir/a%20b%3Ac")
    }

    @Test(arguments: [
        ("https://cognito-sync.us-east-1.amazonaws.com", "cognito-sync.us-east-1.amazonaws.com"),
        ("https://Cognito-Sync.EU-West-1.amazonaws.com:443/", "cognito-sync.eu-west-1.amazonaws.com"),
        ("https://example.com:8443", "example.com:8443"),
        ("http://127.0.0.1:80", "127.0.0.1"),
        ("http://127.0.0.1:4566", "127.0.0.1:4566"),
        ("http://[::1]:8080/x", "[::1]:8080"),
        ("https://user@example.com/", "example.com"),
    ])
    func hostHeaderValue(url: String, expected: String) throws {
        let parsed = try #require(URL(string: url))
        #expect(SignableRequest.hostHeaderValue(for: parsed) == expected)
    }

    @Test func requestFromURLKeepsTheWirePathAndQuery() throws {
        let url = try #require(URL(string: "https://h.example.com:444/identitypools/a%3Ab/x?b=2&a=%2F"))
        let request = try #require(SignableRequest(method: "POST", url: url))
        #expect(request.path == "/identitypools/a%3Ab/x")
        #expect(request.query == "b=2&a=%2F")
        #expect(request.values(forHeader: "host") == ["h.example.com:444"])
    }

    @Test func aURLWithoutHostGivesNoRequest() throws {
        let url = try #require(URL(string: "file:///etc/hosts"))
        #expect(SignableRequest(method: "GET", url: url) == nil)
        #expect(SignableRequest.hostHeaderValue(for: url) == nil)
    }
}
