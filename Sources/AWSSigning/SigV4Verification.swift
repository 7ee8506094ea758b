/// A request whose SigV4 signature checked out, with what the verifier learned from it.
public struct SigV4VerifiedRequest: Sendable, Equatable {
    /// The parsed `Authorization` header.
    public let authorization: SigV4Authorization
    /// The signing time from `X-Amz-Date`; checking clock skew against it is the caller's policy.
    public let timestamp: SigV4Timestamp
}

/// Why a received request's signature was rejected; mirrors the distinctions AWS's errors make.
public struct SigV4VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for mapping to the AWS error a server would return.
    public enum Reason: Sendable, Equatable {
        /// No `Authorization` header (AWS: `MissingAuthenticationTokenException`).
        case missingAuthorization
        /// The header is not a well-formed SigV4 authorization (AWS: `IncompleteSignatureException`).
        case malformedAuthorization
        /// The access key id is not known (AWS: `UnrecognizedClientException`).
        case unknownAccessKey
        /// No usable `X-Amz-Date` header (AWS: `IncompleteSignatureException`).
        case missingOrInvalidDate
        /// The credential scope names another date, region or service (AWS: `InvalidSignatureException`).
        case scopeMismatch
        /// A header listed in `SignedHeaders` is absent, or `host` is not signed.
        case signedHeaderMissing
        /// The recomputed signature differs (AWS: `InvalidSignatureException`).
        case signatureMismatch
    }

    /// The kind of failure.
    public let reason: Reason
    /// A sentence naming what is wrong; never contains a secret or the signature.
    public let message: String

    public var description: String { message }
}

extension SigV4Signer {
    /// Verifies a received request: parses its `Authorization`, checks the scope against this signer's
    /// region and service and the date against `X-Amz-Date`, then recomputes the signature over exactly
    /// the signed headers and compares in constant time.
    ///
    /// - Parameter secretAccessKey: looks up the secret for an access key id; `nil` means unknown.
    public func verify(
        _ request: SignableRequest,
        secretAccessKey: (String) -> String?
    ) throws(SigV4VerificationError) -> SigV4VerifiedRequest {
        let authorizations = request.values(forHeader: "authorization")
        guard let header = authorizations.first else {
            throw SigV4VerificationError(
                reason: .missingAuthorization,
                message: "the request has no Authorization header"
            )
        }
        guard authorizations.count == 1 else {
            throw SigV4VerificationError(
                reason: .malformedAuthorization,
                message: "the request has \(authorizations.count) Authorization headers"
            )
        }
        let authorization: SigV4Authorization
        do {
            authorization = try SigV4Authorization(parsing: header)
        } catch {
            throw SigV4VerificationError(reason: .malformedAuthorization, message: error.description)
        }
        guard let secret = secretAccessKey(authorization.accessKeyID) else {
            throw SigV4VerificationError(
                reason: .unknownAccessKey,
                message: "access key id ending \(authorization.accessKeyID.suffix(4)) is not known"
            )
        }
        guard let dateValue = request.firstValue(forHeader: "x-amz-date"),
            let timestamp = SigV4Timestamp(amzDate: dateValue)
        else {
            throw SigV4VerificationError(
                reason: .missingOrInvalidDate,
                message: "X-Amz-Date is missing or not of the form YYYYMMDDTHHMMSSZ"
            )
        }
        let expectedScope = credentialScope(for: timestamp)
        guard authorization.credentialScope == expectedScope else {
            throw SigV4VerificationError(
                reason: .scopeMismatch,
                message: "credential scope \(authorization.credentialScope) does not match \(expectedScope)"
            )
        }
        guard authorization.signedHeaders.contains("host") else {
            throw SigV4VerificationError(reason: .signedHeaderMissing, message: "host must be a signed header")
        }
        if let missing = authorization.signedHeaders.first(where: { request.firstValue(forHeader: $0) == nil }) {
            throw SigV4VerificationError(
                reason: .signedHeaderMissing,
                message: "signed header \(missing) is not in the request"
            )
        }
        let expected = signature(
            stringToSign: stringToSign(
                canonicalRequest: canonicalRequest(for: request, signedHeaders: authorization.signedHeaders),
                timestamp: timestamp
            ),
            secretAccessKey: secret,
            timestamp: timestamp
        )
        guard constantTimeEquals(expected, authorization.signature) else {
            throw SigV4VerificationError(
                reason: .signatureMismatch,
                message: "the signature does not match the one computed for this request"
            )
        }
        return SigV4VerifiedRequest(authorization: authorization, timestamp: timestamp)
    }
}

/// Compares two strings without an early exit, so timing does not reveal how many leading bytes match.
private func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let left = Array(lhs.utf8)
    let right = Array(rhs.utf8)
    guard left.count == right.count else {
        return false
    }
    var difference: UInt8 = 0
    for index in left.indices {
        difference |= left[index] ^ right[index]
    }
    return difference == 0
}
