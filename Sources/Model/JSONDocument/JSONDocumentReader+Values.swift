import Foundation
/// Typed reads of one value each: a value of the wrong type or out of range is reported with its
/// path and read as nil, so the walk goes on.
extension JSONDocumentReader {
    /// The members of an object; anything else is reported.
    public mutating func object(_ value: JSONValue, path: String) -> [String: JSONValue]? {
        guard case .object(let object) = value else {
            wrongType(value, expected: "an object", path: path)
            return nil
        }
        return object
    }

    /// The entries of an array; nil when absent or null.
    public mutating func array(_ value: JSONValue?, path: String) -> [JSONValue]? {
        switch value {
        case nil, .null?: return nil
        case .array(let entries): return entries
        case let other?:
            wrongType(other, expected: "an array", path: path)
            return nil
        }
    }

    /// A string; nil when absent or null, which is reported when `required`.
    public mutating func string(_ value: JSONValue?, path: String, required: Bool = false) -> String? {
        switch value {
        case nil, .null?:
            if required { report(path, "is missing") }
            return nil
        case .string(let text):
            return text
        case let other?:
            wrongType(other, expected: "a string", path: path)
            return nil
        }
    }

    /// A string that must not be empty.
    public mutating func nonEmptyString(_ value: JSONValue?, path: String) -> String? {
        guard let text = string(value, path: path) else { return nil }
        if text.isEmpty {
            report(path, "must not be empty")
            return nil
        }
        return text
    }

    /// `true` or `false`; nil when absent or null.
    public mutating func bool(_ value: JSONValue?, path: String) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag): return flag
        case let other?:
            wrongType(other, expected: "true or false", path: path)
            return nil
        }
    }

    /// A number within `range`; a quoted number such as `"30s"` gets a hint of its own, as it is
    /// the mistake people make.
    public mutating func number(
        _ value: JSONValue?, path: String, in range: ClosedRange<Double>, required: Bool = false
    ) -> Double? {
        switch value {
        case nil, .null?:
            if required { report(path, "is missing") }
            return nil
        case .number(let number):
            guard range.contains(number) else {
                report(path, "\(Self.format(number)) is out of range",
                       hint: "allowed: \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
                return nil
            }
            return number
        case .string(let text) where Double(text.trimmingCharacters(in: .letters)) != nil:
            report(path, "must be a number, not the string \"\(text)\"", hint: "write it without quotes or units, e.g. 30")
            return nil
        case let other?:
            wrongType(other, expected: "a number", path: path)
            return nil
        }
    }

    /// A number of seconds within `range` (a `…Seconds` key), as a duration.
    public mutating func seconds(_ value: JSONValue?, path: String, in range: ClosedRange<Double>) -> Duration? {
        number(value, path: path, in: range).map(Duration.seconds(clamping:))
    }

    /// A whole number within `range`.
    public mutating func integer(_ value: JSONValue?, path: String, in range: ClosedRange<Int>) -> Int? {
        guard let number = number(value, path: path, in: Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
        guard number == number.rounded() else {
            report(path, "must be a whole number, not \(Self.format(number))")
            return nil
        }
        return Int(number)
    }
}
