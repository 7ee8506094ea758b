import AWSSigning
import Foundation
import NIOHTTP1

/// Recomputes a received request's signature with the signer the client side uses, so the two
/// can never disagree about the canonical form.
enum SignatureCheck {
    /// The signature the request should carry, with the canonical request and string to sign
    /// behind it (AWS echoes both when they do not match, to help debugging; neither holds a
    /// secret).
    static func expected(
        for request: SimulatorRequest,
        authorization: SigV4Authorization,
        credential: ScenarioCredential,
        date: Date
    ) -> (signature: String, canonicalRequest: String, stringToSign: String) {
        let signable = SignableRequest(
            method: request.method,
            path: String(request.path),
            query: request.query.map(String.init),
            headers: request.headers.map { (name: $0.name, value: $0.value) },
            body: request.body
        )
        let signer = SigV4Signer(service: authorization.service, region: authorization.region)
        let canonical = signer.canonicalRequest(for: signable, signedHeaders: authorization.signedHeaders)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: date)
        let signature = signer.signature(stringToSign: stringToSign, secretAccessKey: credential.secretAccessKey, date: date)
        return (signature, canonical, stringToSign)
    }

    /// Compares without an early exit, so the time taken says nothing about where they differ.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
