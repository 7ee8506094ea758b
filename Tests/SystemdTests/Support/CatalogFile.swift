import Foundation

/// The entries of a systemd message catalog file: `-- ID` lines, headers, a blank line, the text.
struct CatalogFile {
    struct Entry {
        var headers: [String: String] = [:]
        var body: [String] = []
    }

    var entries: [String: Entry] = [:]

    init(contentsOf path: String) throws {
        var current: (id: String, entry: Entry, inBody: Bool)?
        for line in try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n") {
            if line.hasPrefix("-- ") {
                if let current { entries[current.id] = current.entry }
                current = (String(line.dropFirst(3)), Entry(), false)
            } else if var open = current {
                if !open.inBody, line.isEmpty {
                    open.inBody = true
                } else if !open.inBody, let colon = line.firstIndex(of: ":") {
                    open.entry.headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                } else {
                    open.entry.body.append(line)
                }
                current = open
            }
        }
        if let current { entries[current.id] = current.entry }
    }

    /// The field names `text` refers to as `@FIELD@`.
    static func placeholders(in text: String) -> Set<String> {
        let pattern = /@([A-Z0-9_]+)@/
        return Set(text.matches(of: pattern).map { String($0.output.1) })
    }

    /// `text` with each `@FIELD@` replaced by the field's value in `fields`.
    static func substitute(_ text: String, _ fields: [String: [String]]) -> String {
        var result = text
        for (name, values) in fields {
            if let value = values.first { result = result.replacingOccurrences(of: "@\(name)@", with: value) }
        }
        return result
    }
}
