import Foundation

/// Text from outside that may carry credentials (a helper program's stderr, an endpoint URL),
/// made safe to quote in an error message, which reaches the journal.
package enum SecretLikeText {
    /// The shortest run taken for a key: secret access keys have 40 characters, session tokens
    /// hundreds; words, host names and paths rarely run this long without a separator.
    static let shortestKey = 32

    /// Replaces every run of at least ``shortestKey`` base64 characters that mixes two of
    /// upper-case letters, lower-case letters and digits (the shape of a secret access key or a
    /// session token) with `[redacted]`. When `text` was cut short, its last run is replaced
    /// if it mixes two of them, whatever its length: it may be the start of a key.
    package static func redactingKeys(_ text: String, wasCut: Bool = false) -> String {
        var result = ""
        var run = ""
        func flush(atEnd: Bool) {
            if run.isEmpty { return }
            let classes = [run.contains(where: \.isUppercase), run.contains(where: \.isLowercase), run.contains(where: \.isNumber)]
            let mixed = classes.filter { $0 }.count >= 2
            result += mixed && (run.count >= shortestKey || (atEnd && wasCut)) ? "[redacted]" : run
            run = ""
        }
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber || "+/=".contains(character) {
                run.append(character)
            } else {
                flush(atEnd: false)
                result.append(character)
            }
        }
        flush(atEnd: true)
        return result
    }

    /// `url` without its user info and query, either of which may carry a token:
    /// `http://user:pass@host/path?token=x` becomes `http://***@host/path?…`.
    package static func urlWithoutCredentials(_ url: String) -> String {
        guard let query = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return hidingUserInfo(url) }
        return hidingUserInfo(url[..<query]) + "?…"
    }

    /// `url` with everything between the scheme's `://` (or the start) and the last `@` shown as
    /// `***`. Up to the last `@`, not the first `/`: a password may hold an unescaped `/`, and
    /// then the URL does not parse, which is just when its text ends up in a message.
    static func hidingUserInfo(_ url: some StringProtocol) -> String {
        var shown = String(url)
        if let at = shown.lastIndex(of: "@") {
            let start = shown.range(of: "://").map(\.upperBound) ?? shown.startIndex
            if start <= at {
                shown.replaceSubrange(start..<at, with: "***")
            }
        }
        return shown
    }
}
