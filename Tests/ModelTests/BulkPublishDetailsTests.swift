import Foundation
import Testing
@testable import Model

struct BulkPublishDetailsTests {
    private func decode(_ json: String) throws -> BulkPublishDetails {
        try JSONDecoder().decode(BulkPublishDetails.self, from: Data(json.utf8))
    }

    @Test func decodesEveryDocumentedField() throws {
        let details = try decode("""
            {"BulkPublishCompleteTime": 1800000123.5, "BulkPublishStartTime": 1800000000,
             "BulkPublishStatus": "FAILED", "FailureMessage": "stream gone",
             "IdentityPoolId": "us-east-1:abc"}
            """)
        #expect(details.completeTime == Date(timeIntervalSince1970: 1_800_000_123.5))
        #expect(details.startTime == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(details.status == .failed)
        #expect(details.failureMessage == "stream gone")
        #expect(details.identityPoolID == "us-east-1:abc")
    }

    @Test func everyFieldMayBeMissing() throws {
        #expect(try decode("{}") == BulkPublishDetails(status: nil))
        #expect(try decode(#"{"BulkPublishStatus":"NOT_STARTED"}"#) == BulkPublishDetails(status: .notStarted))
    }

    @Test func unknownFieldsAreIgnored() throws {
        let details = try decode(#"{"BulkPublishStatus":"SUCCEEDED","NewField":{"a":[1,2]},"Other":null}"#)
        #expect(details.status == .succeeded)
    }

    @Test(arguments: [
        ("NOT_STARTED", BulkPublishStatus.notStarted), ("IN_PROGRESS", .inProgress),
        ("FAILED", .failed), ("SUCCEEDED", .succeeded), ("PAUSED", .unrecognized("PAUSED")),
        ("", .unrecognized("")), ("succeeded", .unrecognized("succeeded")),
    ])
    func statusesKeepUnknownValues(_ raw: String, _ status: BulkPublishStatus) throws {
        let details = try decode(#"{"BulkPublishStatus":"\#(raw)"}"#)
        #expect(details.status == status)
        #expect(details.status?.rawValue == raw)
    }

    @Test func timestampsAsStringsAreAcceptedLikeBotocoreDoes() throws {
        #expect(try decode(#"{"BulkPublishStartTime":"1800000000.25"}"#).startTime == Date(timeIntervalSince1970: 1_800_000_000.25))
        #expect(try decode(#"{"BulkPublishStartTime":"2027-01-15T08:00:00Z"}"#).startTime == Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test(arguments: [
        #"{"BulkPublishStartTime": "yesterday"}"#,
        #"{"BulkPublishStartTime": true}"#,
        #"{"BulkPublishStatus": 3}"#,
        #"{"FailureMessage": ["a"]}"#,
        #"["BulkPublishStatus"]"#,
        // Numbers no date can have: they would overflow the event identity (milliseconds) and
        // the durations in whole seconds computed from them.
        #"{"BulkPublishStartTime": 1e300}"#,
        #"{"BulkPublishCompleteTime": -1e20}"#,
        #"{"BulkPublishStartTime": "253402300800"}"#,
    ])
    func malformedBodiesThrow(_ json: String) {
        #expect(throws: DecodingError.self) { try decode(json) }
    }

    @Test func theFirstAndLastSecondsOfYears1To9999AreDates() throws {
        #expect(try decode(#"{"BulkPublishStartTime":-62135596800}"#).startTime == Date(timeIntervalSince1970: -62_135_596_800))
        #expect(try decode(#"{"BulkPublishCompleteTime":253402300799}"#).completeTime == Date(timeIntervalSince1970: 253_402_300_799))
    }

    @Test func roundTripsThroughJSON() throws {
        let details = BulkPublishDetails(
            identityPoolID: "us-east-1:abc", status: .inProgress, startTime: Date(timeIntervalSince1970: 1_800_000_000.5),
            completeTime: nil, failureMessage: nil
        )
        #expect(try JSONDecoder().decode(BulkPublishDetails.self, from: JSONEncoder().encode(details)) == details)
    }
}
