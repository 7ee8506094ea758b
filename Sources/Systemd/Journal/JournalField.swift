/// One `NAME=value` pair of a journal entry.
public struct JournalField: Sendable, Equatable, CustomStringConvertible {
    /// A valid journal field name (see ``JournalFieldName``).
    public let name: String
    public let value: String

    /// A field whose name is known to be valid: the fixed names this target writes.
    init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// A field with a checked name; `nil` if journald would drop a field of that name.
    public init?(name: String, value: String) {
        guard JournalFieldName.isValid(name) else { return nil }
        self.init(name, value)
    }

    /// The bytes journald receives for this field.
    var encoded: [UInt8] {
        Array(name.utf8) + [UInt8(ascii: "=")] + Array(value.utf8)
    }

    public var description: String { "\(name)=\(value)" }
}
