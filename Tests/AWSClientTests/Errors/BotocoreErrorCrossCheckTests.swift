import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Testing

/// Parses error responses with this client and with botocore's `RestJSONParser`
/// (`Fixtures/botocore_parse_error.py`) and compares code, message and request id.
struct BotocoreErrorCrossCheckTests {
    struct Case: Sendable, Equatable, CustomTestStringConvertible {
        let status: Int
        let headers: [String]
        let body: String
        /// False where this client deliberately differs (a non-JSON body is excerpted, not copied).
        var compareMessage = true
        var testDescription: String { "HTTP \(status) \(headers) \(body.prefix(60))" }

        var headerPairs: [(name: String, value: String)] {
            stride(from: 0, to: headers.count - 1, by: 2).map { (headers[$0], headers[$0 + 1]) }
        }
    }

    static let cases: [Case] = [
        Case(
            status: 403,
            headers: [
                "x-amzn-ErrorType", "NotAuthorizedException:http://internal.amazon.com/", "x-amzn-RequestId", "req-1",
            ],
            body: #"{"message":"Not authorized"}"#
        ),
        Case(
            status: 400,
            headers: ["X-Amzn-Errortype", "aws.protocols#ThrottlingException"],
            body: #"{"__type":"Other","message":"Rate exceeded"}"#
        ),
        Case(
            status: 404,
            headers: [],
            body:
                #"{"__type":"com.amazonaws.cognito.sync.model#ResourceNotFoundException","message":"IdentityPool 'x' not found"}"#
        ),
        Case(status: 400, headers: [], body: #"{"code":"InvalidParameterException","Message":"1 validation error"}"#),
        Case(status: 400, headers: [], body: #"{"Code":"LimitExceededException","__type":"Ignored"}"#),
        Case(status: 400, headers: [], body: #"{"__type":"AlreadyStreamedException","message":"already streamed"}"#),
        Case(status: 400, headers: [], body: #"{"message":"no code at all"}"#),
        Case(status: 400, headers: ["x-amzn-RequestId", "req-2"], body: ""),
        Case(
            status: 429,
            headers: [],
            body: #"{"__type":"TooManyRequestsException","message":"slow down","Message":"ignored"}"#
        ),
        Case(status: 500, headers: [], body: #"{"__type":"InternalErrorException","message":"boom"}"#),
        Case(status: 502, headers: [], body: ""),
        Case(status: 503, headers: [], body: "<html><body>Service Unavailable</body></html>"),
        Case(status: 504, headers: [], body: "   \n"),
        Case(status: 403, headers: [], body: "<html><h1>Forbidden</h1></html>", compareMessage: false),
        Case(status: 400, headers: [], body: "plain text from a proxy", compareMessage: false),
    ]

    struct Parsed: Sendable {
        let code: String?
        let message: String?
        let requestID: String?
    }

    /// Runs the script once, lazily, for every case; the cases wait for it without holding a
    /// thread.
    static let oracle = Task {
        let input = cases.map { testCase -> [String: Any] in
            [
                "status": testCase.status, "headers": testCase.headerPairs.map { [$0.name, $0.value] },
                "body": testCase.body,
            ]
        }
        return await BotocoreOracle.runPerCase(script: "botocore_parse_error.py", input: input) { entry in
            Parsed(
                code: entry["code"] as? String,
                message: entry["message"] as? String,
                requestID: entry["requestID"] as? String
            )
        }
    }

    @Test(arguments: cases)
    func matchesBotocore(_ testCase: Case) async throws {
        let all = try await Self.oracle.value.get()
        let index = try #require(Self.cases.firstIndex(of: testCase))
        let expected = all[index]
        let parsed = RestJSONErrorParser.parse(
            statusCode: testCase.status,
            headers: testCase.headerPairs,
            body: Array(testCase.body.utf8)
        )
        #expect(parsed.code == expected.code)
        #expect(parsed.requestID == expected.requestID)
        if testCase.compareMessage {
            // botocore reports a missing message as ''.
            #expect((parsed.message ?? "") == (expected.message ?? ""))
        }
    }
}
