/// Makes text safe to show as one line: in a journal field, a `STATUS=` line, or a line on
/// standard error. One line, no control characters, a bounded size.
///
/// `sd_journal_sendv` itself is binary-safe: a newline in a value cannot start a new field. The
/// risk lies with the readers: `journalctl` prints a multi-line value as several lines, syslog
/// forwarding splits it into several messages, `systemctl status` cuts `STATUS=` at the first
/// newline, a line-oriented log collector reading standard error starts a new record, and escape
/// sequences reach the terminal of whoever reads the log. A value that came from the service (a
/// `FailureMessage`, an error message) must read as exactly what it is.
public enum OneLineText {
    /// The most UTF-8 bytes a field value keeps; longer values are cut and end in `…`.
    public static let maximumValueBytes = 4_096

    /// Line breaks become one space each; other control characters (C0, DEL, C1) and NUL become
    /// U+FFFD, so that a reader sees that something was there; the result is cut to
    /// `maximumBytes` UTF-8 bytes at a character boundary, with `…` marking the cut.
    public static func sanitize(_ text: String, maximumBytes: Int = maximumValueBytes) -> String {
        var result = String.UnicodeScalarView()
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            defer { previousWasCarriageReturn = scalar == "\r" }
            if scalar == "\n", previousWasCarriageReturn { continue }
            if isLineBreak(scalar) || scalar == "\t" {
                result.append(" ")
            } else if isControl(scalar) {
                result.append("\u{FFFD}")
            } else {
                result.append(scalar)
            }
        }
        return truncated(String(result), maximumBytes: maximumBytes)
    }

    /// Cuts `text` to at most `maximumBytes` UTF-8 bytes without splitting a character, marking
    /// the cut with `…` (which counts towards the limit).
    public static func truncated(_ text: String, maximumBytes: Int) -> String {
        guard text.utf8.count > maximumBytes else { return text }
        let ellipsis = "…"
        let budget = maximumBytes - ellipsis.utf8.count
        guard budget > 0 else { return "" }
        var kept = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > budget { break }
            kept.append(character)
            used += size
        }
        return kept + ellipsis
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}
