import Foundation
import Model
import Simulator
import Testing

/// SigV4 verification: each failure AWS reports, with its code and wording.
struct AuthenticationTests {
    private static let temporary = ScenarioCredential(
        accessKeyID: "ASIATEMPORARY0000000", secretAccessKey: "temporary-secret-0000000000000000000000",
        sessionToken: "session-token-value", expiresAfterSeconds: 900)

    private func scenario() throws -> Scenario {
        try standardScenario(credentials: [.demo, Self.temporary])
    }

    private func expectError(_ response: TestResponse, status: Int = 403, code: String, message: String? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.errorCode == code, sourceLocation: sourceLocation)
        #expect(response.header("x-amzn-ErrorType") == "\(code):http://internal.amazon.com/coral/com.amazon.coral.service/",
                sourceLocation: sourceLocation)
        let body = try response.errorBody()
        #expect(body.type == code, sourceLocation: sourceLocation)
        if let message {
            #expect(body.message == message, sourceLocation: sourceLocation)
        }
    }

    @Test func aCorrectlySignedRequestIsAccepted() async throws {
        try await Harness.run(try scenario()) { harness in
            let virginia = try await harness.details(PoolIDs.succeeding)
            let ireland = try await harness.details(PoolIDs.ireland)
            #expect(virginia.status == 200)
            #expect(ireland.status == 200)
            #expect(harness.simulator.requestLog.recent.map(\.accessKeyId) == ["AKIDSIMULATOR0000000", "AKIDSIMULATOR0000000"])
        }
    }

    @Test func withoutAuthorizationTheTokenIsMissing() async throws {
        try await Harness.run(try scenario()) { harness in
            let response = try await harness.client.send(harness.unsigned(pool: PoolIDs.succeeding))
            try expectError(response, code: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
        }
    }

    @Test func anUnknownAccessKeyIsUnrecognized() async throws {
        try await Harness.run(try scenario()) { harness in
            var signer = RequestSigner()
            signer.credential = ScenarioCredential(accessKeyID: "AKIDNOBODY0000000000", secretAccessKey: "whatever")
            let response = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: signer))
            try expectError(response, code: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }
    }

    @Test func aWrongSecretIsAnInvalidSignatureThatShowsTheExpectedCanonicalRequest() async throws {
        try await Harness.run(try scenario()) { harness in
            var signer = RequestSigner()
            signer.credential.secretAccessKey = "not-the-right-secret"
            let response = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: signer))
            try expectError(response, code: "InvalidSignatureException")
            let message = try response.errorBody().message
            #expect(message.hasPrefix("The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."))
            // The double-encoded path, as AWS expects it for every service but S3.
            #expect(message.contains("/identitypools/us-east-1%253A0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10/getBulkPublishDetails"))
            #expect(!message.contains(ScenarioCredential.demo.secretAccessKey))
            #expect(!message.contains("not-the-right-secret"))
        }
    }

    @Test func aRequestChangedAfterSigningIsAnInvalidSignature() async throws {
        try await Harness.run(try scenario()) { harness in
            var request = harness.signed(pool: PoolIDs.succeeding)
            request.target = request.target.replacingOccurrences(of: "0b5c1a4e", with: "0b5c1a4f")
            let response = try await harness.client.send(request)
            try expectError(response, code: "InvalidSignatureException")
        }
    }

    @Test func aDateMoreThanFiveMinutesOldHasExpired() async throws {
        try await Harness.run(try scenario()) { harness in
            let signedAt = harness.clock.now()
            let request = harness.signed(pool: PoolIDs.succeeding, at: signedAt)
            harness.clock.advance(by: 300)
            #expect(try await harness.client.send(request).status == 200)
            harness.clock.advance(by: 1)
            try expectError(try await harness.client.send(request), code: "InvalidSignatureException",
                            message: "Signature expired: 20231114T221320Z is now earlier than 20231114T221321Z (20231114T221821Z - 5 min.)")
        }
    }

    @Test func aDateMoreThanFiveMinutesAheadIsNotYetCurrent() async throws {
        try await Harness.run(try scenario()) { harness in
            let request = harness.signed(pool: PoolIDs.succeeding, at: harness.clock.now().addingTimeInterval(301))
            try expectError(try await harness.client.send(request), code: "InvalidSignatureException",
                            message: "Signature not yet current: 20231114T221821Z is still later than 20231114T221820Z (20231114T221320Z + 5 min.)")
        }
    }

    @Test func aScopeForAnotherServiceIsRefused() async throws {
        try await Harness.run(try scenario()) { harness in
            var signer = RequestSigner()
            signer.service = "cognito-identity"
            let response = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: signer))
            try expectError(response, code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'cognito-sync'. ")
        }
    }

    @Test func aScopeForAnotherRegionThanThePoolsIsRefused() async throws {
        try await Harness.run(try scenario()) { harness in
            var signer = RequestSigner()
            signer.region = "eu-west-1"
            let response = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: signer))
            try expectError(response, code: "InvalidSignatureException", message: "Credential should be scoped to a valid region, not 'eu-west-1'. ")
            // The same scope is right for a pool in eu-west-1.
            #expect(try await harness.client.send(harness.signed(pool: PoolIDs.ireland, signer: signer)).status == 200)
        }
    }

    @Test func temporaryCredentialsNeedTheirTokenAndExpire() async throws {
        try await Harness.run(try scenario()) { harness in
            let signer = RequestSigner(credential: Self.temporary)
            #expect(try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: signer)).status == 200)

            var withoutToken = Self.temporary
            withoutToken.sessionToken = nil
            try expectError(try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: RequestSigner(credential: withoutToken))),
                            code: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
            var wrongToken = Self.temporary
            wrongToken.sessionToken = "another-token"
            try expectError(try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: RequestSigner(credential: wrongToken))),
                            code: "UnrecognizedClientException")

            harness.clock.advance(by: 899)
            #expect(try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: signer)).status == 200)
            harness.clock.advance(by: 1)
            try expectError(try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: signer)),
                            code: "ExpiredTokenException", message: "The security token included in the request is expired")
        }
    }

    @Test func aTokenSentWithLongLivedKeysIsInvalid() async throws {
        try await Harness.run(try scenario()) { harness in
            var demoWithToken = ScenarioCredential.demo
            demoWithToken.sessionToken = "unexpected"
            let response = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, signer: RequestSigner(credential: demoWithToken)))
            try expectError(response, code: "UnrecognizedClientException")
        }
    }

    @Test func anAuthorizationHeaderWithoutItsPartsIsIncomplete() async throws {
        try await Harness.run(try scenario()) { harness in
            var request = harness.unsigned(pool: PoolIDs.succeeding)
            request.headers.append((name: "Authorization", value: "Bearer abc"))
            try expectError(try await harness.client.send(request), code: "IncompleteSignatureException", message:
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                    + "Authorization header requires 'SignedHeaders' parameter. "
                    + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
    }

    @Test func aMalformedCredentialIsIncomplete() async throws {
        try await Harness.run(try scenario()) { harness in
            var request = harness.signed(pool: PoolIDs.succeeding)
            request.headers = request.headers.map { header in
                guard header.name == "Authorization" else { return header }
                return (name: header.name, value: header.value.replacingOccurrences(of: "/aws4_request", with: ""))
            }
            let response = try await harness.client.send(request)
            try expectError(response, code: "IncompleteSignatureException")
            #expect(try response.errorBody().message.hasPrefix("The Authorization header is malformed: "))
        }
    }

    @Test func aScopeDateOtherThanTheSigningDateIsRefused() async throws {
        try await Harness.run(try scenario()) { harness in
            var request = harness.signed(pool: PoolIDs.succeeding)
            request.headers = request.headers.map { $0.name == "X-Amz-Date" ? (name: $0.name, value: "20231115T000100Z") : $0 }
            try expectError(try await harness.client.send(request), code: "InvalidSignatureException", message:
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'20231114' != '20231115', from '20231115T000100Z'.")
        }
    }

    @Test func aSignatureOverTheDateHeaderIsAccepted() async throws {
        try await Harness.run(try scenario()) { harness in
            var request = harness.unsigned(pool: PoolIDs.succeeding)
            request.headers.append((name: "Date", value: "Tue, 14 Nov 2023 22:13:20 GMT"))
            let signed = RequestSigner().sign(request, region: "us-east-1", date: harness.clock.now())
            #expect(!signed.headers.contains { $0.name.lowercased() == "x-amz-date" })
            let response = try await harness.client.send(signed)
            #expect(response.status == 200, "\(response.text)")
        }
    }

    @Test func aMissingOrMalformedDateIsIncomplete() async throws {
        try await Harness.run(try scenario()) { harness in
            var request = harness.signed(pool: PoolIDs.succeeding)
            request.headers.removeAll { $0.name.lowercased() == "x-amz-date" }
            try expectError(try await harness.client.send(request), code: "IncompleteSignatureException",
                            message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
            var malformed = harness.signed(pool: PoolIDs.succeeding)
            malformed.headers = malformed.headers.map { $0.name.lowercased() == "x-amz-date" ? (name: $0.name, value: "2023-11-14T22:13:20Z") : $0 }
            try expectError(try await harness.client.send(malformed), code: "IncompleteSignatureException",
                            message: "Date must be in ISO-8601 'basic format'. Got '2023-11-14T22:13:20Z'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
    }

    @Test func theHostHeaderMustBeSignedAndSignedHeadersMustBeSent() async throws {
        try await Harness.run(try scenario()) { harness in
            var request = harness.signed(pool: PoolIDs.succeeding)
            request.headers = request.headers.map { header in
                guard header.name == "Authorization" else { return header }
                return (name: header.name, value: header.value.replacingOccurrences(of: "SignedHeaders=host;", with: "SignedHeaders="))
            }
            try expectError(try await harness.client.send(request), code: "IncompleteSignatureException",
                            message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

            var unsent = harness.signed(pool: PoolIDs.succeeding)
            unsent.headers = unsent.headers.map { header in
                guard header.name == "Authorization" else { return header }
                return (name: header.name, value: header.value.replacingOccurrences(of: "SignedHeaders=host;", with: "SignedHeaders=accept;host;"))
            }
            try expectError(try await harness.client.send(unsent), code: "IncompleteSignatureException",
                            message: "'accept' is named as a SignedHeader, but it does not exist in the HTTP request.")
        }
    }

    @Test func aScenarioMayTurnVerificationOff() async throws {
        var open = try scenario()
        open.verifySignatures = false
        try await Harness.run(open) { harness in
            let response = try await harness.client.send(harness.unsigned(pool: PoolIDs.succeeding))
            #expect(response.status == 200)
            var garbage = harness.unsigned(pool: PoolIDs.succeeding)
            garbage.headers.append((name: "Authorization", value: "AWS4-HMAC-SHA256 nonsense"))
            #expect(try await harness.client.send(garbage).status == 200)
        }
    }

    @Test func noAnswerEverContainsASecretOrToken() async throws {
        try await Harness.run(try scenario()) { harness in
            var wrong = RequestSigner(credential: Self.temporary)
            wrong.credential.secretAccessKey = "wrong-secret-value"
            var requests = [
                harness.signed(pool: PoolIDs.succeeding, signer: wrong),
                harness.signed(pool: PoolIDs.succeeding, signer: RequestSigner(credential: Self.temporary)),
            ]
            harness.clock.advance(by: 1000)
            requests.append(harness.signed(pool: PoolIDs.succeeding, signer: RequestSigner(credential: Self.temporary)))
            for request in requests {
                let response = try await harness.client.send(request)
                let everything = response.text + response.headers.map { "\($0.name): \($0.value)" }.joined()
                for secret in [Self.temporary.secretAccessKey, "wrong-secret-value", "session-token-value"] {
                    #expect(!everything.contains(secret))
                }
            }
        }
    }
}
