/// The rules for journal field names, which journald enforces by silently dropping a field.
public enum JournalFieldName {
    /// journald's limit on a field name's length.
    public static let maximumLength = 64

    /// Whether journald accepts `name` from a client: `A-Z`, `0-9` and `_`, not starting with `_`
    /// (those are the fields journald itself vouches for) nor a digit, at most 64 characters.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maximumLength else { return false }
        guard first != UInt8(ascii: "_"), !isDigit(first) else { return false }
        return name.utf8.allSatisfy { isUppercase($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// Turns a free-form key (a swift-log metadata key such as `pool.id` or `request-id`) into a
    /// valid name: upper-cased, every other character `_`, leading `_` and digits and trailing `_`
    /// dropped, cut to 64 characters. `nil` when nothing usable is left.
    public static func sanitized(_ key: String) -> String? {
        var bytes: [UInt8] = []
        for byte in key.uppercased().utf8 {
            if isUppercase(byte) || isDigit(byte) {
                bytes.append(byte)
            } else if bytes.last != UInt8(ascii: "_") {
                // A run of separators, or a multi-byte character, becomes a single `_`.
                bytes.append(UInt8(ascii: "_"))
            }
        }
        while bytes.last == UInt8(ascii: "_") { bytes.removeLast() }
        let trimmed = bytes.drop { $0 == UInt8(ascii: "_") || isDigit($0) }.prefix(maximumLength)
        let name = String(decoding: trimmed, as: UTF8.self)
        return isValid(name) ? name : nil
    }

    private static func isUppercase(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
