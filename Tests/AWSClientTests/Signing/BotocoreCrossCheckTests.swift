import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Testing
import AWSSigning

/// Signs GetBulkPublishDetails with this client and with a real botocore client (the reference
/// SDK, via `Fixtures/botocore_sign.py`) and compares what each would send.
///
/// The script runs once for all cases; it needs `python3` with botocore (`pip install botocore`).
/// Without it these tests fail rather than skip, so a machine that cannot check says so.
struct BotocoreCrossCheckTests {
    struct Case: Sendable, Equatable, CustomTestStringConvertible {
        let poolID: String
        let region: String
        let sessionToken: String?
        let useFIPS: Bool
        let useDualStack: Bool
        let timestamp: SigV4Timestamp

        var testDescription: String {
            "\(poolID) in \(region)" + (sessionToken == nil ? "" : ", session token") + (useFIPS ? ", FIPS" : "")
                + (useDualStack ? ", dual-stack" : "")
        }
    }

    static let token = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token/with+plus=="
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let may2024 = SigV4Timestamp(Date(timeIntervalSince1970: 1_714_979_289))
    static let newYear2030 = SigV4Timestamp(Date(timeIntervalSince1970: 1_893_455_999))

    static let cases: [Case] = [
        Case(
            poolID: "us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE",
            region: "us-east-1",
            sessionToken: nil,
            useFIPS: false,
            useDualStack: false,
            timestamp: may2024
        ),
        Case(
            poolID: "us-east-1:23ec4050-6aea-7089-a2dd-08002e000000",
            region: "us-east-1",
            sessionToken: token,
            useFIPS: false,
            useDualStack: false,
            timestamp: may2024
        ),
        Case(
            poolID: "eu-west-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789",
            region: "eu-west-1",
            sessionToken: nil,
            useFIPS: false,
            useDualStack: false,
            timestamp: newYear2030
        ),
        Case(
            poolID: "eu-west-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789",
            region: "eu-west-1",
            sessionToken: token,
            useFIPS: false,
            useDualStack: false,
            timestamp: newYear2030
        ),
        Case(
            poolID: "cn-north-1:11112222-3333-4444-5555-666677778888",
            region: "cn-north-1",
            sessionToken: nil,
            useFIPS: false,
            useDualStack: false,
            timestamp: may2024
        ),
        Case(
            poolID: "cn-north-1:11112222-3333-4444-5555-666677778888",
            region: "cn-north-1",
            sessionToken: token,
            useFIPS: false,
            useDualStack: false,
            timestamp: may2024
        ),
        Case(
            poolID: "us_pool-with_under-scores:abc-def",
            region: "us-west-2",
            sessionToken: nil,
            useFIPS: false,
            useDualStack: false,
            timestamp: may2024
        ),
        Case(
            poolID: "us-gov-west-1:00000000-0000-0000-0000-000000000000",
            region: "us-gov-west-1",
            sessionToken: nil,
            useFIPS: true,
            useDualStack: false,
            timestamp: may2024
        ),
        Case(
            poolID: "ap-southeast-2:ffffffff-ffff-ffff-ffff-ffffffffffff",
            region: "ap-southeast-2",
            sessionToken: token,
            useFIPS: false,
            useDualStack: true,
            timestamp: may2024
        ),
        Case(
            poolID: "cn-northwest-1:12345678-1234-1234-1234-123456789012",
            region: "cn-northwest-1",
            sessionToken: nil,
            useFIPS: true,
            useDualStack: true,
            timestamp: may2024
        ),
        Case(
            poolID: "us-iso-east-1:12345678-1234-1234-1234-123456789012",
            region: "us-iso-east-1",
            sessionToken: nil,
            useFIPS: false,
            useDualStack: false,
            timestamp: may2024
        ),
        Case(
            poolID: "eusc-de-east-1:12345678-1234-1234-1234-123456789012",
            region: "eusc-de-east-1",
            sessionToken: nil,
            useFIPS: false,
            useDualStack: true,
            timestamp: may2024
        ),
        Case(
            poolID: "xx-future-1:12345678-1234-1234-1234-123456789012",
            region: "xx-future-1",
            sessionToken: nil,
            useFIPS: false,
            useDualStack: false,
            timestamp: may2024
        ),
    ]

    /// What botocore sent for one case.
    struct Sent: Sendable {
        let url: String
        let method: String
        let headers: [(name: String, value: String)]
        let body: String

        func header(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }
    }

    /// Runs the script once, lazily, for every case; the cases wait for it without holding a
    /// thread.
    static let oracle = Task { await runOracle() }

    @Test(arguments: cases)
    func authorizationDateAndTokenMatchBotocore(_ testCase: Case) async throws {
        let sent = try #require(try await Self.sent(for: testCase))
        let ours = try Self.signOurselves(testCase)
        #expect(sent.method == ours.method)
        #expect(ours.values(forHeader: "Authorization") == sent.header("Authorization"))
        #expect(ours.values(forHeader: "X-Amz-Date") == sent.header("X-Amz-Date"))
        #expect(ours.values(forHeader: "X-Amz-Security-Token") == sent.header("X-Amz-Security-Token"))
        #expect(sent.body.isEmpty)
    }

    @Test(arguments: cases)
    func endpointAndWirePathMatchBotocore(_ testCase: Case) async throws {
        let sent = try #require(try await Self.sent(for: testCase))
        let endpoint = try Self.endpoint(for: testCase)
        #expect(endpoint.url.absoluteString + Self.path(for: testCase) == sent.url)
    }

    @Test(arguments: cases)
    func verifierAcceptsWhatBotocoreSent(_ testCase: Case) async throws {
        let sent = try #require(try await Self.sent(for: testCase))
        let url = try #require(URL(string: sent.url))
        // The HTTP layer adds Host after botocore hands the request over; botocore signed it from the URL.
        let request = try #require(SignableRequest(method: sent.method, url: url, headers: sent.headers))
        let signer = SigV4Signer(service: "cognito-sync", region: testCase.region)
        let verified = try signer.verify(request) { $0 == "AKIDEXAMPLE" ? Self.secretAccessKey : nil }
        let expectedHeaders =
            testCase.sessionToken == nil ? ["host", "x-amz-date"] : ["host", "x-amz-date", "x-amz-security-token"]
        #expect(verified.authorization.signedHeaders == expectedHeaders)
    }

    static func path(for testCase: Case) -> String {
        "/identitypools/\(AWSURIEncoding.encodePathLabel(testCase.poolID))/getBulkPublishDetails"
    }

    static func endpoint(for testCase: Case) throws -> ResolvedEndpoint {
        try EndpointResolver.cognitoSync.resolve(
            region: testCase.region,
            settings: EndpointSettings(useFIPS: testCase.useFIPS, useDualStack: testCase.useDualStack),
            environment: [:]
        )
    }

    static func signOurselves(_ testCase: Case) throws -> SignableRequest {
        let endpoint = try endpoint(for: testCase)
        let host = try #require(SignableRequest.hostHeaderValue(for: endpoint.url))
        let request = SignableRequest(method: "POST", path: path(for: testCase), headers: [("Host", host)])
        let credentials = AWSCredentials(
            accessKeyID: "AKIDEXAMPLE",
            secretAccessKey: secretAccessKey,
            sessionToken: testCase.sessionToken
        )
        return SigV4Signer(service: "cognito-sync", region: endpoint.signingRegion)
            .sign(request, credentials: credentials, date: testCase.timestamp.date)
    }

    static func sent(for testCase: Case) async throws(BotocoreOracle.Failure) -> Sent? {
        let all = try await oracle.value.get()
        guard let index = cases.firstIndex(of: testCase), index < all.count else {
            return nil
        }
        return all[index]
    }

    private static func runOracle() async -> Result<[Sent], BotocoreOracle.Failure> {
        let input = cases.map { testCase -> [String: Any] in
            [
                "poolID": testCase.poolID, "region": testCase.region, "timestamp": testCase.timestamp.amzDate,
                "sessionToken": testCase.sessionToken ?? NSNull(), "useFIPS": testCase.useFIPS,
                "useDualStack": testCase.useDualStack,
            ]
        }
        return await BotocoreOracle.runPerCase(script: "botocore_sign.py", input: input) { entry in
            let pairs = entry["headers"] as? [[String]] ?? []
            return Sent(
                url: entry["url"] as? String ?? "",
                method: entry["method"] as? String ?? "",
                headers: pairs.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                body: entry["body"] as? String ?? ""
            )
        }
    }
}
