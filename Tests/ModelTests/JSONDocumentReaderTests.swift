import Foundation
import Testing
@testable import Model

struct JSONDocumentReaderTests {
    /// A document kind of the tests' own, so the shared reader is checked apart from its users.
    struct Sample: JSONDocument {
        static let documentName = "sample"
    }

    private func problems(_ json: String, _ walk: (inout JSONDocumentReader, JSONValue) -> Int?) -> [String] {
        do {
            let value = try JSONDocumentReader.read(Data(json.utf8), as: Sample.self, walk)
            return ["accepted \(value)"]
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func aValidDocumentIsHandedToTheWalk() throws {
        let count = try JSONDocumentReader.read(Data(#"{"a": [1, 2, 3]}"#.utf8), as: Sample.self) { reader, root in
            reader.array(reader.object(root, path: "")?["a"], path: "a")?.count
        }
        #expect(count == 3)
    }

    @Test func aSyntaxErrorNamesItsLineAndColumn() {
        #expect(problems("{\"a\": 1,\n  ]") { _, _ in 0 } == [
            "$: not valid JSON: Invalid value at line 2, column 3 "
                + "(check for a missing comma, quote or brace; comments are not allowed in JSON)",
        ])
    }

    @Test func everyProblemIsCollectedAndTheEmptyPathIsTheDocument() {
        let found = problems(#"{"count": "3", "flag": 1}"#) { reader, root in
            reader.report("", "first")
            let object = reader.object(root, path: "")
            _ = reader.integer(object?["count"], path: "count", in: 0...10)
            _ = reader.bool(object?["flag"], path: "flag")
            _ = reader.string(object?["name"], path: "name", required: true)
            return 1
        }
        #expect(found == [
            "$: first",
            "count: must be a number, not the string \"3\" (write it without quotes or units, e.g. 30)",
            "flag: must be true or false, not a number",
            "name: is missing",
        ])
    }

    @Test func theErrorIsHeadedByTheDocumentsName() {
        let error = JSONDocumentError<Sample>(problems: [JSONProblem(path: "a", message: "bad", hint: "fix it")])
        #expect(error.description == "the sample has 1 problem:\n  - a: bad (fix it)")
    }

    @Test func abbreviationsAreSuggestedOnlyWhenAskedFor() {
        let allowed = ["id", "delaySeconds"]
        #expect(JSONDocumentReader().closest(to: "delay", in: allowed) == nil)
        #expect(JSONDocumentReader(matchesAbbreviations: true).closest(to: "delay", in: allowed) == "delaySeconds")
        #expect(JSONDocumentReader().closest(to: "delaySecond", in: allowed) == "delaySeconds")
    }

    @Test(arguments: [("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("same", "same", 0), ("ab", "ba", 2)])
    func editDistanceCountsSingleCharacterEdits(_ a: String, _ b: String, _ distance: Int) {
        #expect(NearestWord.editDistance(a, b) == distance)
    }
}
