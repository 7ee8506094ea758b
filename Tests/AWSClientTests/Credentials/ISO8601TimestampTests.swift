import Foundation
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders

struct ISO8601TimestampTests {
    @Test(arguments: [
        ("2030-01-02T03:04:05Z", 1_893_553_445.0),
        ("2030-01-02t03:04:05z", 1_893_553_445.0),
        ("2030-01-02 03:04:05Z", 1_893_553_445.0),
        ("2030-01-02T03:04:05.250Z", 1_893_553_445.25),
        ("2030-01-02T04:04:05+01:00", 1_893_553_445.0),
        ("2030-01-02T04:04:05+0100", 1_893_553_445.0),
        ("2030-01-01T22:04:05-05", 1_893_553_445.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("1970-01-01T00:00:00Z", 0.0),
    ])
    func parses(_ text: String, _ seconds: Double) {
        #expect(ISO8601Timestamp.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: [
        "2030-01-02T03:04:05", "2030-01-02", "2023-02-29T00:00:00Z", "2030-13-01T00:00:00Z",
        "2030-01-02T24:00:00Z", "2030-01-02T03:04:05.Z", "2030-01-02T03:04:05Zjunk", "", "tomorrow",
    ])
    func rejects(_ text: String) {
        #expect(ISO8601Timestamp.parse(text) == nil)
    }
}
