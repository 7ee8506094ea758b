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

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse: true
        default: false
        }
    }
}
