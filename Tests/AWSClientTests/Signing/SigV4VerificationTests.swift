import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Testing
import AWSSigning

struct SigV4VerificationTests {
    static let secret = "verification/SECRET+key"
    static let token = "verification-session-token"
    static let credentials = AWSCredentials(accessKeyID: "AKIAVERIFY", secretAccessKey: secret, sessionToken: token)
    static let now = Date(timeIntervalSince1970: 1_714_979_289)
    static let signer = SigV4Signer(service: "cognito-sync", region: "eu-west-1")

    static func signedRequest() -> SignableRequest {
        let request = SignableRequest(
            method: "POST",
            path: "/identitypools/eu-west-1%3Aabc/getBulkPublishDetails",
            headers: [("Host", "cognito-sync.eu-west-1.amazonaws.com"), ("User-Agent", "watcher")]
        )
        return signer.sign(request, credentials: credentials, date: now)
    }

    static func lookup(_ keyID: String) -> String? {
        keyID == "AKIAVERIFY" ? secret : nil
    }

    static func failure(_ request: SignableRequest, signer: SigV4Signer = signer) -> SigV4VerificationError? {
        do {
            _ = try signer.verify(request, secretAccessKey: lookup)
            return nil
        } catch {
            return error
        }
    }

    @Test func anUntouchedRequestVerifies() throws {
        let verified = try Self.signer.verify(Self.signedRequest(), secretAccessKey: Self.lookup)
        #expect(verified.authorization.accessKeyID == "AKIAVERIFY")
        #expect(verified.authorization.credentialScope == "20240506/eu-west-1/cognito-sync/aws4_request")
        #expect(verified.timestamp.date == Self.now)
    }

    @Test func unsignedHeadersMayChangeOrAppear() throws {
        var request = Self.signedRequest()
        request.replaceHeader("User-Agent", with: "something else")
        request.headers.append(("Content-Length", "0"))
        _ = try Self.signer.verify(request, secretAccessKey: Self.lookup)
    }

    static let tamperings: [(String, @Sendable (inout SignableRequest) -> Void)] = [
        ("path", { $0.path = "/identitypools/eu-west-1%3Aabd/getBulkPublishDetails" }),
        ("query", { $0.query = "x=1" }),
        ("method", { $0.method = "GET" }),
        ("body", { $0.body = Array("{}".utf8) }),
        ("host", { $0.replaceHeader("Host", with: "evil.example.com") }),
        ("token", { $0.replaceHeader("X-Amz-Security-Token", with: "other") }),
        ("date within the same day", { $0.replaceHeader("X-Amz-Date", with: "20240506T070810Z") }),
    ]

    @Test(arguments: tamperings.indices)
    func tamperingBreaksTheSignature(index: Int) {
        var request = Self.signedRequest()
        Self.tamperings[index].1(&request)
        #expect(Self.failure(request)?.reason == .signatureMismatch, "tampered \(Self.tamperings[index].0)")
    }

    @Test func aWrongSecretIsASignatureMismatch() {
        let other = AWSCredentials(
            accessKeyID: "AKIAVERIFY",
            secretAccessKey: "not the secret",
            sessionToken: Self.token
        )
        let request = Self.signer.sign(Self.signedRequest(), credentials: other, date: Self.now)
        #expect(Self.failure(request)?.reason == .signatureMismatch)
    }

    @Test func anUnknownKeyIsReportedWithoutTheKey() {
        let stranger = AWSCredentials(accessKeyID: "AKIASTRANGER1234", secretAccessKey: Self.secret)
        let request = Self.signer.sign(Self.signedRequest(), credentials: stranger, date: Self.now)
        let failure = Self.failure(request)
        #expect(failure?.reason == .unknownAccessKey)
        #expect(failure?.message.contains("AKIASTRANGER1234") == false)
    }

    @Test func otherRegionOrServiceIsAScopeMismatch() {
        #expect(
            Self.failure(Self.signedRequest(), signer: SigV4Signer(service: "cognito-sync", region: "us-east-1"))?
                .reason == .scopeMismatch
        )
        #expect(
            Self.failure(Self.signedRequest(), signer: SigV4Signer(service: "cognito-identity", region: "eu-west-1"))?
                .reason == .scopeMismatch
        )
    }

    @Test func aDateFromAnotherDayIsAScopeMismatch() {
        var request = Self.signedRequest()
        request.replaceHeader("X-Amz-Date", with: "20240507T070809Z")
        #expect(Self.failure(request)?.reason == .scopeMismatch)
    }

    @Test(arguments: [nil, "yesterday", "20240506T070809"] as [String?])
    func aMissingOrMalformedDateIsReported(value: String?) {
        var request = Self.signedRequest()
        request.removeHeaders(named: "x-amz-date")
        if let value {
            request.headers.append(("X-Amz-Date", value))
        }
        #expect(Self.failure(request)?.reason == .missingOrInvalidDate)
    }

    @Test func aMissingAuthorizationIsReported() {
        var request = Self.signedRequest()
        request.removeHeaders(named: "authorization")
        #expect(Self.failure(request)?.reason == .missingAuthorization)
    }

    @Test func twoAuthorizationHeadersAreMalformed() {
        var request = Self.signedRequest()
        request.headers.append(("Authorization", request.firstValue(forHeader: "authorization") ?? ""))
        #expect(Self.failure(request)?.reason == .malformedAuthorization)
    }

    @Test func aSignedHeaderThatIsGoneIsReported() {
        var request = Self.signedRequest()
        request.removeHeaders(named: "x-amz-security-token")
        #expect(Self.failure(request)?.reason == .signedHeaderMissing)
    }

    @Test func hostMustBeSigned() {
        var request = SignableRequest(method: "POST", path: "/", headers: [("X-Amz-Date", "20240506T070809Z")])
        request = Self.signer.sign(request, credentials: Self.credentials, date: Self.now)
        request.headers.append(("Host", "cognito-sync.eu-west-1.amazonaws.com"))
        #expect(Self.failure(request)?.reason == .signedHeaderMissing)
    }

    @Test func failuresNeverShowSecretsTokensOrSignatures() throws {
        let request = Self.signedRequest()
        let authorization = try SigV4Authorization(parsing: request.firstValue(forHeader: "authorization") ?? "")
        var broken = request
        broken.path = "/other"
        let messages = [
            Self.failure(broken)?.description,
            Self.failure(broken, signer: SigV4Signer(service: "x", region: "eu-west-1"))?.description,
            Self.credentials.description,
            "\(Self.credentials)",
        ]
        for message in messages {
            let text = try #require(message)
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
            #expect(!text.contains(authorization.signature))
        }
    }

    // MARK: Authorization header parsing

    @Test func parsesAWellFormedHeader() throws {
        let header =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        let parsed = try SigV4Authorization(parsing: header)
        #expect(parsed.accessKeyID == "AKIDEXAMPLE")
        #expect([parsed.date, parsed.region, parsed.service] == ["20150830", "us-east-1", "service"])
        #expect(parsed.signedHeaders == ["host", "x-amz-date"])
        #expect(parsed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        let compact = header.replacingOccurrences(of: ", ", with: ",")
        #expect(try SigV4Authorization(parsing: compact) == parsed)
    }

    static let signature = String(repeating: "ab", count: 32)

    @Test(arguments: [
        "",
        "AWS4-HMAC-SHA1 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host, Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s, SignedHeaders=host, Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=A/2015083/r/s/aws4_request, SignedHeaders=host, Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=/20150830/r/s/aws4_request, SignedHeaders=host, Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=Host, Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host;;x, Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host, Signature=\(signature.uppercased())",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host, Signature=\(signature), Signature=\(signature)",
        "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host, Signature=\(signature), Extra=1",
        "AWS4-HMAC-SHA256 Credential A/20150830/r/s/aws4_request, SignedHeaders=host, Signature=\(signature)",
    ])
    func rejectsMalformedHeaders(header: String) {
        #expect(throws: SigV4Authorization.ParseError.self) {
            try SigV4Authorization(parsing: header)
        }
    }

    @Test func parseErrorsDoNotRepeatTheSignature() {
        let header =
            "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host, Signature=\(Self.signature)0"
        do {
            _ = try SigV4Authorization(parsing: header)
            Issue.record("a 65-digit signature was accepted")
        } catch {
            #expect(!error.description.contains(Self.signature))
        }
    }
}
