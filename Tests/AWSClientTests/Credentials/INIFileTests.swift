import Foundation
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import ProcessSupport

struct INIFileTests {
    @Test func readsSectionsAndKeysWithPythonsRules() throws {
        let file = try INIFile(parsing: """
            # a comment
            ; another
            [default]
            AWS_Access_Key_ID = AKIDDEFAULT
            aws_secret_access_key=abc # not a comment
              # an indented comment line is still a comment
            region: us-east-1
            url = https://example.com/a=b

            [Prod]
            aws_access_key_id =
            """)
        #expect(file.sections.map(\.name) == ["default", "Prod"])
        #expect(file[section: "default"] == [
            "aws_access_key_id": "AKIDDEFAULT",
            "aws_secret_access_key": "abc # not a comment",
            "region": "us-east-1",
            "url": "https://example.com/a=b",
        ])
        #expect(file[section: "Prod"] == ["aws_access_key_id": ""])
        #expect(file[section: "prod"] == nil)
    }

    @Test func indentedLinesContinueTheValueBeforeThem() throws {
        let file = try INIFile(parsing: "[s]\na = 1\n\n  2\n  [not a section]\nb = x\n\n\n")
        #expect(file[section: "s"] == ["a": "1\n\n2\n[not a section]", "b": "x"])
    }

    @Test func defaultSectionFillsEveryOtherSection() throws {
        let file = try INIFile(parsing: "[DEFAULT]\nregion = eu-west-1\nx = 1\n[a]\nx = 2\n[b]\n")
        #expect(file.sections.map(\.name) == ["a", "b"])
        #expect(file[section: "a"] == ["region": "eu-west-1", "x": "2"])
        #expect(file[section: "b"] == ["region": "eu-west-1", "x": "1"])
    }

    @Test(arguments: ["[s]\r\na = 1\r\nb = 2\r\n", "[s]\ra = 1\rb = 2", "\u{FEFF}[s]\na = 1\nb = 2"])
    func acceptsAnyLineEnding(_ text: String) throws {
        #expect(try INIFile(parsing: text)[section: "s"] == ["a": "1", "b": "2"])
    }

    @Test func sectionHeaderRunsToTheLastBracket() throws {
        let file = try INIFile(parsing: "[a]b] trailing\nk = v\n[ spaced ]\n")
        #expect(file.sections.map(\.name) == ["a]b", " spaced "])
    }

    @Test(arguments: [
        ("k = v\n[s]\n", INIFile.ParseError(kind: .missingSectionHeader, line: 1)),
        ("[s]\njust words\n", INIFile.ParseError(kind: .invalidLine, line: 2)),
        ("[s]\n= value\n", INIFile.ParseError(kind: .invalidLine, line: 2)),
        ("[s]\n[]\n", INIFile.ParseError(kind: .invalidLine, line: 2)),
        ("[s]\na = 1\n[s]\n", INIFile.ParseError(kind: .duplicateSection("s"), line: 3)),
        ("[s]\nA = 1\na = 2\n", INIFile.ParseError(kind: .duplicateKey(section: "s", key: "a"), line: 3)),
        ("[s]\nnested =\n  x = 1\n  no equals sign\n", INIFile.ParseError(kind: .invalidNestedValue(key: "nested"), line: 2)),
    ])
    func rejectsWhatConfigparserRejects(_ text: String, _ expected: INIFile.ParseError) {
        #expect(throws: expected) { try INIFile(parsing: text) }
    }

    @Test func parseErrorsDoNotQuoteTheLine() {
        do {
            _ = try INIFile(parsing: "[s]\nwJalrXUtnFEMI-secret-without-a-key\n")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.description == "line 2: expected `key = value`, a [section] header or a comment")
        }
    }

    /// The same inputs through botocore's own parser (python3 with botocore is required: without
    /// it the test fails, saying how to install it).
    @Test(arguments: [
        "[default]\naws_access_key_id = A\naws_secret_access_key = B ; c\n",
        "[s]\na = 1\n\n  2\n  [x]\nb : y = z\n\n",
        "[DEFAULT]\nr = 1\n[a]\n[b]\nr = 2\n",
        "[a]b] c\nk=v\n   # comment\n   more\n",
        "[s]\nk = v\n\tdeeper\n  less deep\nj = w",
        "k = v\n",
        "[s]\nno delimiter\n",
        "[s]\na = 1\na = 2\n",
        "[s]\nnested =\n  x = 1\n  y\n",
        "[s]\nnested =\n  x = 1\n  y = 2\n",
        "[s]\r\na = 1\r\n",
    ])
    func agreesWithBotocore(_ text: String) async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write(text, to: "config")
        let expected = try await BotocoreConfigParser.rawConfigParse(path)
        let actual: [String: [String: String]]?
        do {
            let file = try INIFile(parsing: text)
            actual = Dictionary(uniqueKeysWithValues: file.sections.map { ($0.name, $0.values) })
        } catch {
            actual = nil
        }
        #expect(actual == expected, "botocore and INIFile disagree on \(text.debugDescription)")
    }
}
