import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders

struct ShellWordsTests {
    @Test(arguments: [
        ("a b", ["a", "b"]),
        ("  a\t b\n", ["a", "b"]),
        ("a '' b", ["a", "", "b"]),
        (#"a"b c"d"#, ["ab cd"]),
        (#""a\x\"\\""#, [#"a\x"\"#]),
        (#"a\ b"#, ["a b"]),
        (#"'a\b'"#, [#"a\b"#]),
        ("x#y $HOME", ["x#y", "$HOME"]),
        ("", []),
    ])
    func splitsLikeShlex(_ line: String, _ words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test(arguments: [("'a", ShellWords.SplitError.unclosedQuote), ("\"a", .unclosedQuote), ("a\\", .trailingBackslash), ("\"a\\", .trailingBackslash)])
    func rejectsWhatShlexRejects(_ line: String, _ error: ShellWords.SplitError) {
        #expect(throws: error) { try ShellWords.split(line) }
    }
}
