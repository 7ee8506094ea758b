import Foundation
import Testing
@testable import Model

struct IdentityPoolIDTests {
    static let guid = "6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a"

    @Test(arguments: [
        "us-east-1:" + guid,
        "eu-west-1:" + guid,
        "ap_southeast-2:0",                                     // '_' is a word character
        "a:b",                                                  // shortest with both parts
        "us-east-1:" + String(repeating: "a", count: 45),       // exactly 55 characters
        "US-EAST-1:abc",                                        // upper case is fine before the colon
    ])
    func acceptsValidIDs(_ raw: String) throws {
        let id = try IdentityPoolID(validating: raw)
        #expect(id.rawValue == raw)
    }

    @Test(arguments: [
        ("", "the identity pool id is empty"),
        ("a", "has no ':'"),
        ("us-east-1:" + String(repeating: "a", count: 46), "56 characters long, more than the 55"),
        ("us-east-1" + guid, "has no ':'"),
        ("us-east-1:abc:def", "second ':' at position 14"),
        (":abc", "nothing before the ':'"),
        ("us-east-1:", "nothing after the ':'"),
        ("us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE", "character 'E' at position 13"),
        ("us-east-1:23ec4050-6aea-7089-a2dd-08002example", "character 'x' at position 41"),
        ("us-east-1:ABCDEF", "write it in lower case"),
        ("us east-1:abc", "character ' ' at position 3 is not allowed before the ':'"),
        ("us-éast-1:abc", "character U+E9 at position 4"),
        ("us-east-1:abc\u{7}", "character U+7 at position 14"),
        ("us-east-1:ab😀", "character U+1F600 at position 13"),
    ])
    func rejectsInvalidIDsSayingWhy(_ raw: String, _ expected: String) {
        #expect {
            try IdentityPoolID(validating: raw)
        } throws: { error in
            String(describing: error).contains(expected)
        }
    }

    @Test func theDocumentationsExampleIDIsRejectedWithTheRule() throws {
        let error = try #require(throws: IdentityPoolIDError.self) {
            try IdentityPoolID(validating: "us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE")
        }
        #expect(error.description.contains("lower-case hex digits 0-9, a-f and '-'"))
        #expect(error.description.contains("documentation's example id"))
    }

    @Test func regionIsThePartBeforeTheColon() throws {
        #expect(try IdentityPoolID(validating: "eu-central-1:" + Self.guid).region == "eu-central-1")
    }

    @Test func decodingValidates() throws {
        let json = Data(#"["us-east-1:abc", "us-east-1:ABC"]"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([IdentityPoolID].self, from: json) }
        let valid = try JSONDecoder().decode([IdentityPoolID].self, from: Data(#"["us-east-1:abc"]"#.utf8))
        #expect(valid.map(\.rawValue) == ["us-east-1:abc"])
    }
}

