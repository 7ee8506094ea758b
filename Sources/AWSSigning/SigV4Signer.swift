import Crypto
public import Foundation

/// Signs requests with AWS Signature Version 4 exactly as botocore's `SigV4Auth` does for a non-S3 service.
///
/// The intermediate steps are public so a verifier (the API simulator) can recompute a signature from
/// a received request with the same code that produced it.
public struct SigV4Signer: Sendable {
    /// The signing name, e.g. `cognito-sync`.
    public let service: String
    /// The signing region, e.g. `us-east-1`.
    public let region: String
    /// Whether the canonical URI normalises and encodes the wire path again (every service but S3).
    public let doubleEncodePath: Bool

    /// Where derived signing keys are kept between requests, if anywhere.
    public let keyCache: SigV4SigningKeyCache?

    /// Creates a signer for one service and region; pass `doubleEncodePath: false` only for S3.
    ///
    /// - Parameter keyCache: keeps the signing key derived for a secret, day, region and service,
    ///   so a client signing many requests derives it once a day instead of per request.
    public init(service: String, region: String, doubleEncodePath: Bool = true, keyCache: SigV4SigningKeyCache? = nil) {
        self.service = service
        self.region = region
        self.doubleEncodePath = doubleEncodePath
        self.keyCache = keyCache
    }

    /// Returns `request` with `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials) and `Authorization` set.
    ///
    /// Like botocore, an existing `Authorization` is dropped first (a retry re-signs), and a request that
    /// already carries a `Date` header gets that header rewritten instead of an `X-Amz-Date`.
    /// No `X-Amz-Content-SHA256` is added: botocore only does that for S3.
    public func sign(_ request: SignableRequest, credentials: AWSCredentials, date: Date) -> SignableRequest {
        let timestamp = SigV4Timestamp(date)
        var signed = request
        signed.removeHeaders(named: "authorization")
        if signed.firstValue(forHeader: "date") != nil {
            signed.replaceHeader("Date", with: timestamp.httpDate)
            signed.removeHeaders(named: "x-amz-date")
        } else {
            signed.replaceHeader("X-Amz-Date", with: timestamp.amzDate)
        }
        // An empty token counts as none, as in botocore.
        if let token = credentials.sessionToken, !token.isEmpty {
            signed.replaceHeader("X-Amz-Security-Token", with: token)
        }
        let canonical = SigV4CanonicalRequest(request: signed, onlyHeaders: nil, encodePathAgain: doubleEncodePath)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical.text, timestamp: timestamp),
            secretAccessKey: credentials.secretAccessKey,
            timestamp: timestamp
        )
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(credentialScope(for: timestamp)), "
            + "SignedHeaders=\(canonical.signedHeadersList), Signature=\(signature)"
        signed.headers.append((name: "Authorization", value: authorization))
        return signed
    }

    /// The canonical request text for `request`, over `signedHeaders` when given (a verifier) or botocore's choice.
    public func canonicalRequest(for request: SignableRequest, signedHeaders: [String]? = nil) -> String {
        SigV4CanonicalRequest(request: request, onlyHeaders: signedHeaders, encodePathAgain: doubleEncodePath).text
    }

    /// The lower-cased, sorted names botocore signs for `request`: every header but its exclusions.
    public func signedHeaders(for request: SignableRequest) -> [String] {
        SigV4CanonicalRequest(request: request, onlyHeaders: nil, encodePathAgain: doubleEncodePath).signedHeaders
    }

    /// The credential scope, e.g. `20150830/us-east-1/service/aws4_request`.
    public func credentialScope(for date: Date) -> String {
        credentialScope(for: SigV4Timestamp(date))
    }

    /// The string to sign: algorithm, timestamp, scope and the hex SHA-256 of the canonical request.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        stringToSign(canonicalRequest: canonicalRequest, timestamp: SigV4Timestamp(date))
    }

    /// The hex signature of `stringToSign` with the key derived from the secret, date, region and service.
    public func signature(stringToSign: String, secretAccessKey: String, date: Date) -> String {
        signature(stringToSign: stringToSign, secretAccessKey: secretAccessKey, timestamp: SigV4Timestamp(date))
    }

    /// Recomputes the signature of a received request over exactly `signedHeaders`, for verification.
    public func signature(
        for request: SignableRequest,
        signedHeaders: [String],
        credentials: AWSCredentials,
        date: Date
    ) -> String {
        let timestamp = SigV4Timestamp(date)
        return signature(
            stringToSign: stringToSign(
                canonicalRequest: canonicalRequest(for: request, signedHeaders: signedHeaders),
                timestamp: timestamp
            ),
            secretAccessKey: credentials.secretAccessKey,
            timestamp: timestamp
        )
    }

    func credentialScope(for timestamp: SigV4Timestamp) -> String {
        "\(timestamp.dateStamp)/\(region)/\(service)/aws4_request"
    }

    func stringToSign(canonicalRequest: String, timestamp: SigV4Timestamp) -> String {
        [
            "AWS4-HMAC-SHA256",
            timestamp.amzDate,
            credentialScope(for: timestamp),
            SigV4Hex.sha256(canonicalRequest),
        ].joined(separator: "\n")
    }

    func signature(stringToSign: String, secretAccessKey: String, timestamp: SigV4Timestamp) -> String {
        let derive = { signingKey(secretAccessKey: secretAccessKey, timestamp: timestamp) }
        let key: [UInt8]
        if let keyCache {
            key = keyCache.key(secretAccessKey: secretAccessKey, dateStamp: timestamp.dateStamp, region: region, service: service, derive: derive)
        } else {
            key = derive()
        }
        return SigV4Hex.encode(Self.hmac(key: key, message: stringToSign))
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    func signingKey(secretAccessKey: String, timestamp: SigV4Timestamp) -> [UInt8] {
        let dateKey = Self.hmac(key: Array("AWS4\(secretAccessKey)".utf8), message: timestamp.dateStamp)
        let regionKey = Self.hmac(key: dateKey, message: region)
        let serviceKey = Self.hmac(key: regionKey, message: service)
        return Self.hmac(key: serviceKey, message: "aws4_request")
    }

    private static func hmac(key: [UInt8], message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }
}
