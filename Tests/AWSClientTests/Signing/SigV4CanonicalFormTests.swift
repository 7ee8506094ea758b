@testable import AWSSigning
import Testing

/// The canonical forms of header values and paths, including the inputs that look almost like
/// the usual case and must take the general rule (botocore's `' '.join(value.split())` and
/// `remove_dot_segments`).
struct SigV4CanonicalFormTests {
    @Test(arguments: [
        ("cognito-sync.us-east-1.amazonaws.com", "cognito-sync.us-east-1.amazonaws.com"),
        ("20261129T101500Z", "20261129T101500Z"),
        ("a b c", "a b c"),
        ("", ""),
        (" leading", "leading"),
        ("trailing ", "trailing"),
        ("   ", ""),
        ("two  spaces", "two spaces"),
        ("a\tb", "a b"),
        ("a\u{1C}b", "a b"),
        ("caf\u{E9}  au\u{A0}lait", "caf\u{E9} au lait"),
        ("line\nbreak", "line break"),
    ])
    func headerValuesAreTrimmedAsBotocoreDoes(value: String, expected: String) {
        #expect(SigV4CanonicalRequest.trimAll(value) == expected)
    }

    @Test(arguments: [
        ("/identitypools/us-east-1%3Aabc/getBulkPublishDetails", "/identitypools/us-east-1%3Aabc/getBulkPublishDetails"),
        ("/", "/"),
        ("", "/"),
        ("/a.b/c.", "/a.b/c."),
        ("/a//b", "/a/b"),
        ("//", "/"),
        ("/a/./b", "/a/b"),
        ("/a/../b", "/b"),
        ("/a/.hidden", "/a/.hidden"),
        ("/.", "/"),
        ("/a/b/", "/a/b/"),
        ("/a/b/..", "/a"),
        ("relative/./path", "relative/path"),
    ])
    func pathsLoseDotAndEmptySegments(path: String, expected: String) {
        #expect(SigV4CanonicalRequest.removeDotSegments(path) == expected)
    }
}
