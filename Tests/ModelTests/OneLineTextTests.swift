import Model
import Testing

struct OneLineTextTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("a\nb", "a b"),
        ("a\r\nb", "a b"),
        ("a\rb", "a b"),
        ("a\n\nb", "a  b"),
        ("a\tb", "a b"),
        ("a\u{2028}b\u{2029}c\u{85}d", "a b c d"),
        ("esc\u{1B}[31m", "esc\u{FFFD}[31m"),
        ("nul\u{0}del\u{7F}c1\u{9B}", "nul\u{FFFD}del\u{FFFD}c1\u{FFFD}"),
        ("boom\nPRIORITY=0\nMESSAGE_ID=x", "boom PRIORITY=0 MESSAGE_ID=x"),
        ("ünïcödé ✓ 👍", "ünïcödé ✓ 👍"),
    ])
    func sanitisesToOneLine(input: String, expected: String) {
        #expect(OneLineText.sanitize(input) == expected)
    }

    @Test(arguments: [
        ("hello", 5, "hello"),
        ("hello!", 5, "he…"),
        ("héllo", 4, "h…"),
        ("👍👍", 8, "👍👍"),
        ("👍👍", 7, "👍…"),
        ("👍👍", 6, "…"),
        ("abc", 2, ""),
    ])
    func truncatesAtCharacterBoundaries(input: String, limit: Int, expected: String) {
        let result = OneLineText.truncated(input, maximumBytes: limit)
        #expect(result == expected)
        #expect(result.utf8.count <= limit)
    }

    @Test func boundsTheDefaultLength() {
        let long = String(repeating: "é", count: 10_000)
        let result = OneLineText.sanitize(long)
        #expect(result.utf8.count <= OneLineText.maximumValueBytes)
        #expect(result.hasSuffix("…"))
    }
}
