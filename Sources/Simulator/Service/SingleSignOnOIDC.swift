import Foundation

/// IAM Identity Center's OIDC service as far as a client refreshing a cached `aws sso login`
/// meets it: `CreateToken` with `grantType` `refresh_token` (`POST /token`, JSON in and out).
///
/// Refresh tokens rotate as the real service's do: each answer carries a new one and the one
/// used is spent, so a client that does not write the new one back fails its next refresh.
/// Refresh tokens starting with `revoked` are refused, for the tests of a failed refresh.
enum SingleSignOnOIDC {
    /// How long an issued access token lives, in seconds (the real service's 8 hours).
    static let accessTokenLifetime = 28_800

    /// The outcome of one `CreateToken`: the response, and the refresh token it spent if any.
    struct Answer {
        var status: Int
        var body: [String: Any]
        var spent: String?
        var errorCode: String? { status == 200 ? nil : body["error"] as? String }
    }

    static func createToken(body: [UInt8], spent: Set<String>) -> Answer {
        func refusal(_ status: Int, _ code: String, _ description: String) -> Answer {
            Answer(status: status, body: ["error": code, "error_description": description])
        }
        guard let request = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return refusal(400, "InvalidRequestException", "the body is not a JSON object")
        }
        guard request["grantType"] as? String == "refresh_token" else {
            return refusal(400, "UnsupportedGrantTypeException", "only refresh_token is served here")
        }
        guard let clientID = request["clientId"] as? String, !clientID.isEmpty,
              let secret = request["clientSecret"] as? String, !secret.isEmpty,
              let refreshToken = request["refreshToken"] as? String, !refreshToken.isEmpty else {
            return refusal(400, "InvalidRequestException", "clientId, clientSecret and refreshToken are required")
        }
        guard !refreshToken.hasPrefix("revoked"), !spent.contains(refreshToken) else {
            return refusal(400, "InvalidGrantException", "the refresh token is not valid")
        }
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return Answer(status: 200, body: [
            "accessToken": "aoa" + SecurityTokenService.randomText(60, from: alphabet),
            "refreshToken": "aor" + SecurityTokenService.randomText(60, from: alphabet),
            "expiresIn": accessTokenLifetime,
            "tokenType": "Bearer",
        ], spent: refreshToken)
    }
}
