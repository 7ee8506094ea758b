import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Testing

struct RestJSONErrorParserTests {
    static func parse(
        _ status: Int,
        _ headers: [(name: String, value: String)] = [],
        _ body: String
    ) -> AWSServiceError {
        RestJSONErrorParser.parse(statusCode: status, headers: headers, body: Array(body.utf8))
    }

    @Test(
        arguments: [
            // The header wins over the body.
            (
                403, [("x-amzn-ErrorType", "NotAuthorizedException:http://internal.amazon.com/")],
                #"{"__type":"Other","code":"Other"}"#, "NotAuthorizedException"
            ),
            // Header names are case-insensitive.
            (400, [("X-AMZN-ERRORTYPE", "InvalidParameterException")], "{}", "InvalidParameterException"),
            // `code` beats `__type`, and `Code` works too.
            (404, [], #"{"__type":"Ignored","code":"ResourceNotFoundException"}"#, "ResourceNotFoundException"),
            (404, [], #"{"__type":"Ignored","Code":"ResourceNotFoundException"}"#, "ResourceNotFoundException"),
            (400, [], #"{"__type":"InvalidParameterException","message":"x"}"#, "InvalidParameterException"),
            // Namespaces and trailing URLs are cut away.
            (
                400, [], #"{"__type":"com.amazonaws.cognito.sync.model#InvalidParameterException"}"#,
                "InvalidParameterException"
            ),
            (
                429,
                [
                    (
                        "x-amzn-errortype",
                        "aws.protocols#ThrottlingException:http://internal.amazon.com/coral/aws.protocols/"
                    )
                ], "", "ThrottlingException"
            ),
            (400, [], #"{"__type":"a#b#LimitExceededException:x:y"}"#, "LimitExceededException"),
            // With no code anywhere, the status stands in, as in botocore.
            (400, [], #"{"message":"no code"}"#, "400"),
            (400, [], #"{"__type":42}"#, "400"),
            (418, [], "", "418"),
        ] as [(Int, [(name: String, value: String)], String, String)]
    )
    func errorCode(status: Int, headers: [(name: String, value: String)], body: String, code: String) {
        #expect(Self.parse(status, headers, body).code == code)
    }

    @Test(
        arguments: [
            (#"{"message":"lower"}"#, "lower"),
            (#"{"Message":"upper"}"#, "upper"),
            (#"{"message":"both","Message":"ignored"}"#, "both"),
            (#"{"message":7,"Message":"string wins"}"#, "string wins"),
            (#"{"__type":"X"}"#, nil),
            ("[]", nil),
        ] as [(String, String?)]
    )
    func message(body: String, message: String?) {
        #expect(Self.parse(400, [], body).message == message)
    }

    @Test func requestIDComesFromEitherHeader() {
        #expect(Self.parse(400, [("x-amzn-RequestId", "abc-123")], "{}").requestID == "abc-123")
        #expect(Self.parse(400, [("x-amz-request-id", "def-456")], "{}").requestID == "def-456")
        #expect(
            Self.parse(400, [("x-amzn-requestid", "first"), ("x-amz-request-id", "second")], "{}").requestID == "first"
        )
        #expect(Self.parse(400, [], "{}").requestID == nil)
    }

    @Test func anHTMLPageFromAProxyBecomesAShortReadableExcerpt() {
        let page =
            "<html>\r\n<head><title>403 Forbidden</title></head>\n<body>\u{7}<h1>Forbidden</h1>\t by proxy</body></html>"
        let error = Self.parse(403, [], page)
        #expect(error.code == "403")
        #expect(error.message == "403 Forbidden Forbidden by proxy")
        #expect(error.category == .notAuthorized)
    }

    @Test func aPlainTextBodyIsBoundedAndFreeOfControlCharacters() {
        let body = "gateway said:\u{0}\u{1B}[31m" + String(repeating: "x", count: 10_000)
        let error = Self.parse(400, [], body)
        let message = error.message ?? ""
        #expect(message.hasPrefix("gateway said: [31m"))
        #expect(message.count <= RestJSONErrorParser.excerptLimit + 1)
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test(arguments: [
        (502, "", "Bad Gateway"), (503, "  \n ", "Service Unavailable"),
        (500, "<html><body>oops</body></html>", "Internal Server Error"), (504, "", "Gateway Timeout"),
    ])
    func aGeneric5xxUsesTheStatusAsCodeAndItsReasonAsMessage(status: Int, body: String, reason: String) {
        let error = Self.parse(status, [("x-amzn-RequestId", "r-1")], body)
        #expect(error.code == String(status))
        #expect(error.message == reason)
        #expect(error.requestID == "r-1")
        #expect(error.isRetryable)
        #expect(error.description == "HTTP \(status): \(reason) [request id r-1]")
    }

    @Test func aGeneric5xxKeepsAnErrorTypeHeader() {
        let error = Self.parse(500, [("x-amzn-ErrorType", "InternalErrorException")], "")
        #expect(error.code == "InternalErrorException")
        #expect(error.category == .internalError)
    }

    @Test func anEmptyBodyBelow500HasNoMessage() {
        let error = Self.parse(403, [], "")
        #expect(error.code == "403")
        #expect(error.message == nil)
    }

    @Test func aHugeServiceMessageIsKeptBoundedAndCutInTheDescription() {
        let huge = String(repeating: "word ", count: 5_000)
        let error = Self.parse(400, [], #"{"__type":"InvalidParameterException","message":"\#(huge)"}"#)
        #expect((error.message?.count ?? 0) <= RestJSONErrorParser.messageLimit + 1)
        #expect(error.description.count < 300)
        #expect(error.description.hasPrefix("InvalidParameterException (HTTP 400): word word"))
        #expect(error.description.hasSuffix("…"))
    }

    @Test func descriptionsAreOneLine() {
        let error = Self.parse(
            400,
            [("x-amzn-RequestId", "id\nwith\nbreaks")],
            #"{"__type":"X\nY","message":"line one\nline two\r\n"}"#
        )
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains("\r"))
    }

    @Test(
        arguments: [
            ([("x-amz-retry-after", "1500")], Duration.milliseconds(1500)),
            ([("Retry-After", "3")], .seconds(3)),
            ([("x-amz-retry-after", "250"), ("Retry-After", "9")], .milliseconds(250)),
            ([("x-amz-retry-after", "0")], .zero),
            ([("x-amz-retry-after", "-5"), ("Retry-After", "2")], .seconds(2)),
            ([("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")], nil),
            ([("x-amz-retry-after", "1.5")], nil),
            ([], nil),
        ] as [([(name: String, value: String)], Duration?)]
    )
    func retryAfter(headers: [(name: String, value: String)], expected: Duration?) {
        #expect(Self.parse(429, headers, #"{"__type":"TooManyRequestsException"}"#).retryAfter == expected)
    }

    @Test func invalidUTF8DoesNotBreakParsing() {
        let error = RestJSONErrorParser.parse(statusCode: 400, headers: [], body: [0xFF, 0xFE, 0x41])
        #expect(error.code == "400")
        #expect(error.message?.hasSuffix("A") == true)
    }
}

struct SignatureMismatchRedactionTests {
    @Test func theCanonicalRequestAndTheTokenAreNeverKept() {
        let message = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
            + "\n\nThe Canonical String for this request should have been\n'POST\n/identitypools/x\n\nhost:h\n"
            + "x-amz-date:20261129T000000Z\nx-amz-security-token:FwoGZXIvYXdzSECRETTOKEN\n\nhost;x-amz-date;x-amz-security-token\n"
            + "e3b0c442'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261129T000000Z\n...'\n"
        let body = (try? JSONSerialization.data(withJSONObject: ["message": message])).map { Array($0) } ?? []
        let error = RestJSONErrorParser.parse(
            statusCode: 403, headers: [(name: "x-amzn-ErrorType", value: "InvalidSignatureException:http://x/")], body: body
        )
        #expect(error.code == "InvalidSignatureException")
        #expect(error.message?.hasPrefix("The request signature we calculated does not match") == true)
        #expect(error.message?.contains("SECRETTOKEN") == false)
        #expect(error.message?.contains("Canonical String") == false)
        #expect(!error.description.contains("SECRETTOKEN"))
    }

    @Test func aTokenQuotedAnywhereElseIsCut() {
        let body = Array(#"{"message": "bad request; x-amz-security-token:abc123secret follows"}"#.utf8)
        let error = RestJSONErrorParser.parse(statusCode: 400, headers: [], body: body)
        #expect(error.message == "bad request; [redacted]")
    }
}
