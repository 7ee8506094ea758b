public import Foundation

/// The body of a `GetBulkPublishDetails` response.
///
/// Every field may be missing (the API marks none as required); timestamps are epoch seconds,
/// possibly fractional. Unknown extra fields are ignored, as every AWS SDK does.
public struct BulkPublishDetails: Sendable, Equatable {
    public var identityPoolID: String?
    public var status: BulkPublishStatus?
    public var startTime: Date?
    public var completeTime: Date?
    public var failureMessage: String?

    public init(
        identityPoolID: String? = nil,
        status: BulkPublishStatus?,
        startTime: Date? = nil,
        completeTime: Date? = nil,
        failureMessage: String? = nil
    ) {
        self.identityPoolID = identityPoolID
        self.status = status
        self.startTime = startTime
        self.completeTime = completeTime
        self.failureMessage = failureMessage
    }
}

extension BulkPublishDetails: Codable {
    private enum CodingKeys: String, CodingKey {
        case identityPoolID = "IdentityPoolId"
        case status = "BulkPublishStatus"
        case startTime = "BulkPublishStartTime"
        case completeTime = "BulkPublishCompleteTime"
        case failureMessage = "FailureMessage"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        identityPoolID = try container.decodeIfPresent(String.self, forKey: .identityPoolID)
        status = try container.decodeIfPresent(BulkPublishStatus.self, forKey: .status)
        startTime = try container.decodeIfPresent(EpochTimestamp.self, forKey: .startTime)?.date
        completeTime = try container.decodeIfPresent(EpochTimestamp.self, forKey: .completeTime)?.date
        failureMessage = try container.decodeIfPresent(String.self, forKey: .failureMessage)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(identityPoolID, forKey: .identityPoolID)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(startTime.map(EpochTimestamp.init), forKey: .startTime)
        try container.encodeIfPresent(completeTime.map(EpochTimestamp.init), forKey: .completeTime)
        try container.encodeIfPresent(failureMessage, forKey: .failureMessage)
    }
}

/// A rest-json timestamp: epoch seconds as a JSON number, possibly fractional.
///
/// Like botocore's parser, a string holding a number or an ISO 8601 date is accepted too, so a
/// proxy or a newer service version that quotes the value does not break polling.
struct EpochTimestamp: Codable {
    var date: Date

    /// Years 1 to 9999, the range of Python's `datetime`, within which botocore's parser stays.
    /// A number outside it is no timestamp, and would overflow what is later computed from it
    /// (event identities in milliseconds, durations in whole seconds).
    static let validSeconds: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    init(_ date: Date) { self.date = date }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            guard Self.validSeconds.contains(seconds) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "timestamp \(seconds) is not a date between the years 1 and 9999")
            }
            date = Date(timeIntervalSince1970: seconds)
            return
        }
        let text = try container.decode(String.self)
        if let seconds = Double(text), Self.validSeconds.contains(seconds) {
            date = Date(timeIntervalSince1970: seconds)
        } else if let parsed = Self.parseISO8601(text), Self.validSeconds.contains(parsed.timeIntervalSince1970) {
            date = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "timestamp is neither epoch seconds nor an ISO 8601 date"
            )
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(date.timeIntervalSince1970)
    }

    private static func parseISO8601(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
