import AWSSigning
import Foundation

/// Parses a rest-json error response the way botocore's `RestJSONParser` does.
///
/// Code: the `x-amzn-ErrorType` header, else body `code`/`Code`, else body `__type`, else the
/// status; cut at the first `:` and keep what follows the last `#`
/// (`aws.protocols#ThrottlingException:http://…` → `ThrottlingException`). Message: body
/// `message` or `Message`. A 5xx with an empty or HTML body is a generic error whose message is
/// the status reason; any other body that is not JSON becomes a short sanitised excerpt.
///
/// Two deliberate differences from botocore, both about bodies that are not the service's JSON:
/// botocore copies such a body whole into the message, this parser keeps a bounded excerpt; and
/// for a generic 5xx botocore ignores an `x-amzn-ErrorType` header, this parser keeps it.
/// Service messages are kept as sent (bounded); ``AWSServiceError/description`` is the form to log.
public enum RestJSONErrorParser {
    /// The longest excerpt kept from a body that is not JSON.
    public static let excerptLimit = 200
    /// The longest service message kept; longer ones are cut so a hostile body cannot flood logs.
    public static let messageLimit = 2048

    /// Parses the status, headers and body of an error response.
    public static func parse(
        statusCode: Int,
        headers: some Sequence<(name: String, value: String)>,
        body: [UInt8]
    ) -> AWSServiceError {
        var headerValues: [String: String] = [:]
        for (name, value) in headers where headerValues[name.lowercased()] == nil {
            headerValues[name.lowercased()] = value.trimmingCharacters(in: .whitespaces)
        }
        let requestID = nonEmpty(headerValues["x-amzn-requestid"]) ?? nonEmpty(headerValues["x-amz-request-id"])
        let retryAfter = retryAfterHint(headerValues)
        let serverDate = headerValues["date"].flatMap(HTTPDate.parse)
        let status = String(statusCode)

        let strippedBody = body.drop { isASCIIWhitespace($0) }
        if statusCode >= 500 && (strippedBody.isEmpty || strippedBody.starts(with: Array("<html>".utf8))) {
            return AWSServiceError(
                statusCode: statusCode,
                code: cleanCode(headerValues["x-amzn-errortype"]) ?? status,
                message: reasonPhrase(statusCode),
                requestID: requestID,
                retryAfter: retryAfter,
                serverDate: serverDate
            )
        }

        let object: [String: Any]
        var message: String?
        if strippedBody.isEmpty {
            object = [:]
        } else if let parsed = try? JSONSerialization.jsonObject(with: Data(body)) {
            object = parsed as? [String: Any] ?? [:]
        } else {
            object = [:]
            // A body that is not JSON (a proxy's page, a cut answer) may still quote a request:
            // cut it before tags are stripped, which could hide where the quote starts.
            let (kept, redacted) = cutQuotedRequest(Substring(String(decoding: body.prefix(16 * 1024), as: UTF8.self)))
            message = markRedacted(ServiceErrorText.bodyExcerpt(Array(kept.utf8), limit: excerptLimit), if: redacted)
        }
        if message == nil {
            message = (object["message"] as? String ?? object["Message"] as? String).map(boundedMessage)
        }
        let code =
            cleanCode(headerValues["x-amzn-errortype"])
            ?? cleanCode(object["code"] as? String ?? object["Code"] as? String)
            ?? cleanCode(object["__type"] as? String)
            ?? status
        return AWSServiceError(
            statusCode: statusCode,
            code: code,
            message: message,
            requestID: requestID,
            retryAfter: retryAfter,
            serverDate: serverDate
        )
    }

    /// `code.split(':', 1)[0].rsplit('#', 1)[-1]`, as botocore reads it; `nil` when nothing is
    /// left or what is left is not a code (AWS's codes are names like `ThrottlingException`):
    /// the code becomes a journal field and a word in log lines, so free text (a proxy's page, a
    /// cut answer) falls back to the next source and in the end to the status digits.
    package static func cleanCode(_ raw: String?) -> String? {
        guard let raw else {
            return nil
        }
        let beforeColon = raw.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let afterHash = beforeColon.split(separator: "#", omittingEmptySubsequences: false).last ?? ""
        let code = afterHash.trimmingCharacters(in: .whitespaces)
        let isName = !code.isEmpty && code.count <= 128
            && code.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
        return isName ? code : nil
    }

    /// `x-amz-retry-after` (milliseconds) wins over `Retry-After` (seconds); dates and negatives are ignored.
    static func retryAfterHint(_ headers: [String: String]) -> Duration? {
        if let value = headers["x-amz-retry-after"], let milliseconds = Int64(value), milliseconds >= 0 {
            return .milliseconds(milliseconds)
        }
        if let value = headers["retry-after"], let seconds = Int64(value), seconds >= 0 {
            return .seconds(seconds)
        }
        return nil
    }

    /// The message, without what must not reach a log, bounded.
    ///
    /// A signature mismatch answer quotes the canonical request and the string to sign: every
    /// signed header, the session token included. Only the sentence before them is kept.
    package static func boundedMessage(_ message: String) -> String {
        let (kept, redacted) = cutQuotedRequest(Substring(message))
        let text = markRedacted(kept.trimmingCharacters(in: .whitespacesAndNewlines), if: redacted)
        return text.count > messageLimit ? String(text.prefix(messageLimit)) + "…" : text
    }

    /// `text`, followed by `[redacted]` when a token was cut from it.
    private static func markRedacted(_ text: String, if redacted: Bool) -> String {
        guard redacted else { return text }
        return text.isEmpty ? "[redacted]" : text + " [redacted]"
    }

    /// `text` up to the first of the markers that start a quoted request or a token; `redacted`
    /// when a token header was cut.
    private static func cutQuotedRequest(_ text: Substring) -> (kept: Substring, redacted: Bool) {
        var kept = text
        var redacted = false
        for marker in ["Canonical String", "String-to-Sign", "x-amz-security-token"] {
            if let range = kept.range(of: marker, options: .caseInsensitive) {
                kept = kept[..<range.lowerBound]
                redacted = redacted || marker == "x-amz-security-token"
            }
        }
        return (kept, redacted)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The reason phrase botocore reports for a generic 5xx (Python's `http.client.responses`).
    static func reasonPhrase(_ statusCode: Int) -> String? {
        switch statusCode {
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        case 506: "Variant Also Negotiates"
        case 507: "Insufficient Storage"
        case 508: "Loop Detected"
        case 510: "Not Extended"
        case 511: "Network Authentication Required"
        default: nil
        }
    }
}
