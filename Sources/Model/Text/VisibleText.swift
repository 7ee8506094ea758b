/// Text from outside input, made safe to show inside a message: control and formatting
/// characters (newlines, escape sequences, right-to-left overrides, DEL) appear as `\u{…}`
/// escapes, so a key or section name cannot break a log line, colour a terminal or read
/// backwards, and the reader still sees exactly which character was wrong.
public enum VisibleText {
    public static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Control, format, separator, surrogate, private-use and unassigned code points: what a
    /// reader cannot see or a terminal may act on.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: true
        default: false
        }
    }
}
