import Model
/// Turns untrusted response text into something safe to put in one log line.
package enum ServiceErrorText {
    /// The longest message excerpt a description shows.
    static let descriptionLimit = 200

    /// Control characters become spaces, whitespace runs collapse, and the result is cut at `limit` characters.
    package static func excerpt(_ text: some StringProtocol, limit: Int) -> String {
        var cleaned = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace || VisibleText.isInvisible(scalar)
            if isSpace {
                if !lastWasSpace {
                    cleaned.append(" ")
                }
            } else {
                cleaned.append(scalar)
            }
            lastWasSpace = isSpace
        }
        var result = String(cleaned)
        if result.last == " " {
            result.removeLast()
        }
        if result.count > limit {
            result = String(result.prefix(limit)) + "…"
        }
        return result
    }

    /// The readable text of a body that was not JSON: tags dropped when it looks like HTML.
    package static func bodyExcerpt(_ body: [UInt8], limit: Int) -> String {
        // Only the head is needed; decoding a multi-megabyte error page would be wasted work.
        let head = String(decoding: body.prefix(16 * 1024), as: UTF8.self)
        let trimmed = head.drop { $0.isWhitespace }
        guard trimmed.first == "<" else {
            return excerpt(trimmed, limit: limit)
        }
        var text = ""
        var inTag = false
        for character in trimmed {
            switch character {
            case "<":
                inTag = true
                text.append(" ")
            case ">": inTag = false
            default: if !inTag { text.append(character) }
            }
        }
        return excerpt(text, limit: limit)
    }

}
