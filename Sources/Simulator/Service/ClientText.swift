/// Text that came from a client and is echoed in a message or a log line.
enum ClientText {
    /// The text cut to `limit` characters and stripped of control characters, so a hostile
    /// header or path cannot flood or break a log line.
    static func bounded<Text: StringProtocol>(_ text: Text, limit: Int = 100) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        return cleaned.count > limit ? String(cleaned.prefix(limit)) + "…" : cleaned
    }
}
