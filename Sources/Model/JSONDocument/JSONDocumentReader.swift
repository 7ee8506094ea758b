public import Foundation

/// Walks a JSON document with a path for every value and collects every problem on the way,
/// instead of stopping at the first, so one edit can fix them all.
///
/// A reader for one kind of document extends this type with its sections; the value readers
/// treat `null` as "not set", so an example file can show every optional key.
public struct JSONDocumentReader: Sendable {
    /// What was found wrong so far, in the order found.
    public private(set) var problems: [JSONProblem] = []
    /// Whether a word that begins an allowed one (`delay` for `delaySeconds`) is suggested as
    /// that one, before near misspellings are.
    public let matchesAbbreviations: Bool

    public init(matchesAbbreviations: Bool = false) {
        self.matchesAbbreviations = matchesAbbreviations
    }

    /// Decodes `data` and hands the tree to `walk`, which reports what it finds wrong.
    /// - Throws: every problem found, or the place the JSON syntax breaks.
    public static func read<Document, Value>(
        _ data: Data,
        as document: Document.Type,
        matchesAbbreviations: Bool = false,
        _ walk: (inout JSONDocumentReader, JSONValue) -> Value?
    ) throws(JSONDocumentError<Document>) -> Value {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw JSONDocumentError(problems: [
                JSONProblem(path: "$", message: "not valid JSON: \(JSONSyntaxDiagnosis.describe(data))",
                            hint: "check for a missing comma, quote or brace; comments are not allowed in JSON"),
            ])
        }
        var reader = JSONDocumentReader(matchesAbbreviations: matchesAbbreviations)
        if let value = walk(&reader, root), reader.problems.isEmpty {
            return value
        }
        throw JSONDocumentError(problems: reader.problems)
    }

    /// Records a problem at `path`; an empty path means the whole document.
    public mutating func report(_ path: String, _ message: String, hint: String? = nil) {
        problems.append(JSONProblem(path: path.isEmpty ? "$" : path, message: message, hint: hint))
    }

    /// Records that the value at `path` is not of the `expected` type, e.g. "an object".
    public mutating func wrongType(_ value: JSONValue, expected: String, path: String) {
        report(path, "must be \(expected), not \(value.typeDescription)")
    }

    /// Reports every key of `object` that is not `allowed`: a misspelt key must never be
    /// ignored silently. The hint names the nearest allowed key, or all of them.
    public mutating func checkKeys(_ object: [String: JSONValue], allowed: [String], path: String) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            let location = path.isEmpty ? key : "\(path).\(key)"
            if let suggestion = closest(to: key, in: allowed) {
                report(location, "unknown key", hint: "did you mean '\(suggestion)'?")
            } else {
                report(location, "unknown key", hint: "allowed here: \(allowed.joined(separator: ", "))")
            }
        }
    }

    /// The candidate nearest to a misspelt word, if it is near enough to be a typo.
    public func closest(to word: String, in candidates: [String]) -> String? {
        NearestWord.closest(to: word, in: candidates, matchingAbbreviations: matchesAbbreviations)
    }

    /// A number as a person writes it: `30`, not `30.0`.
    public static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
