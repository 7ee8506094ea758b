/// The id of a Cognito identity pool, validated as the API documents it: 1 to 55 characters
/// matching `[\w-]+:[0-9a-f-]+` (a region-like prefix, a colon, then a lower-case GUID).
public struct IdentityPoolID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The id as the service knows it.
    public let rawValue: String

    /// The longest id the API accepts.
    public static let maximumLength = 55

    /// Validates `rawValue` against the documented rules.
    /// - Throws: ``IdentityPoolIDError`` naming the character and the rule it breaks.
    public init(validating rawValue: String) throws(IdentityPoolIDError) {
        try Self.validate(rawValue)
        self.rawValue = rawValue
    }

    /// The part before the colon; for every real pool this is the AWS region that holds it.
    public var region: String {
        String(rawValue.prefix { $0 != ":" })
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(validating: raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func validate(_ raw: String) throws(IdentityPoolIDError) {
        if raw.isEmpty { throw .empty }
        let characters = Array(raw)
        if characters.count > maximumLength { throw .tooLong(length: characters.count) }
        guard let colon = characters.firstIndex(of: ":") else { throw .missingColon }
        if colon == 0 { throw .emptyPrefix }
        if colon == characters.count - 1 { throw .emptyGUID }
        for (offset, character) in characters.enumerated() {
            let position = offset + 1
            if offset < colon {
                if !isWordCharacter(character) {
                    throw .invalidPrefixCharacter(character, position: position)
                }
            } else if offset > colon {
                if character == ":" { throw .secondColon(position: position) }
                if !isLowercaseHexOrDash(character) {
                    throw .invalidGUIDCharacter(character, position: position)
                }
            }
        }
    }

    /// `\w` as the service's pattern means it: ASCII letters, digits and `_`, plus `-`.
    private static func isWordCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func isLowercaseHexOrDash(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

/// Why a string is not a valid identity pool id, in words that say how to fix it.
public enum IdentityPoolIDError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(length: Int)
    case missingColon
    case emptyPrefix
    case emptyGUID
    case secondColon(position: Int)
    case invalidPrefixCharacter(Character, position: Int)
    case invalidGUIDCharacter(Character, position: Int)

    public var description: String {
        let rule = "an identity pool id is REGION:GUID, 1 to 55 characters matching [\\w-]+:[0-9a-f-]+"
        switch self {
        case .empty:
            return "the identity pool id is empty; \(rule)"
        case .tooLong(let length):
            return "the identity pool id is \(length) characters long, more than the 55 the API accepts; \(rule)"
        case .missingColon:
            return "the identity pool id has no ':' between the region and the GUID; \(rule)"
        case .emptyPrefix:
            return "the identity pool id has nothing before the ':'; it must start with the region, e.g. 'us-east-1:'"
        case .emptyGUID:
            return "the identity pool id has nothing after the ':'; the GUID part is missing"
        case .secondColon(let position):
            return "the identity pool id has a second ':' at position \(position); only one separates the region from the GUID"
        case .invalidPrefixCharacter(let character, let position):
            return "character \(Self.describe(character)) at position \(position) is not allowed before the ':'; "
                + "the region part may hold only ASCII letters, digits, '_' and '-'"
        case .invalidGUIDCharacter(let character, let position):
            var text = "character \(Self.describe(character)) at position \(position) is not allowed after the ':'; "
                + "the GUID part may hold only lower-case hex digits 0-9, a-f and '-'"
            if let ascii = character.asciiValue, (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(ascii) {
                text += " (write it in lower case: the documentation's example id in upper case does not match the API's pattern)"
            }
            return text
        }
    }

    /// Quotes a character, spelling out ones that would not read well in a message.
    private static func describe(_ character: Character) -> String {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7f {
            return "'\(character)'"
        }
        let scalars = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
        return scalars.joined(separator: " ")
    }
}
