import Model
/// The sections of an INI file, read with the rules of Python's `configparser.RawConfigParser`
/// as botocore configures it, so a file means here exactly what it means to the AWS CLI.
///
/// Those rules, some of them surprising:
/// - `=` or `:` separates key and value, at the first one on the line; keys are lower-cased,
///   section names keep their case.
/// - Only whole lines starting with `#` or `;` are comments: `key = abc # x` has the value
///   `abc # x`.
/// - A line indented deeper than the key line before it continues that value (even if it looks
///   like a key or a section); blank lines inside a value are kept, trailing ones dropped.
/// - `[DEFAULT]` is not a section: its keys fill in every other section.
/// - A line before the first section, a line without a separator, and a repeated section or key
///   make the whole file invalid.
package struct INIFile: Equatable {
    /// One `[name]` section with the `DEFAULT` keys filled in.
    package struct Section: Equatable {
        package var name: String
        package var values: [String: String]
    }

    /// Why a file could not be parsed; never carries the line's text, which may hold a secret.
    package struct ParseError: Error, Equatable, CustomStringConvertible {
        enum Kind: Equatable {
            case missingSectionHeader
            case invalidLine
            case duplicateSection(String)
            case duplicateKey(section: String, key: String)
            case invalidNestedValue(key: String)
        }

        var kind: Kind
        /// 1-based line number.
        var line: Int

        /// Names of sections and keys are shown with control characters escaped.
        package var description: String {
            VisibleText.escaped(plainDescription)
        }

        private var plainDescription: String {
            switch kind {
            case .missingSectionHeader:
                "line \(line): a key comes before any [section] header"
            case .invalidLine:
                "line \(line): expected `key = value`, a [section] header or a comment"
            case .duplicateSection(let name):
                "line \(line): section [\(name)] appears twice"
            case .duplicateKey(let section, let key):
                "line \(line): key \(key) appears twice in section [\(section)]"
            case .invalidNestedValue(let key):
                "line \(line): the indented block under \(key) must hold `key = value` lines"
            }
        }
    }

    /// Sections in the order they first appear.
    package private(set) var sections: [Section]

    /// The values of the section called exactly `name`, if present.
    package subscript(section name: String) -> [String: String]? {
        sections.first { $0.name == name }?.values
    }

    init(sections: [Section]) {
        self.sections = sections
    }

    package init(parsing text: String) throws(ParseError) {
        var parser = Parser()
        for (index, line) in Self.lines(of: text).enumerated() {
            try parser.consume(line, number: index + 1)
        }
        sections = try parser.finish()
    }

    /// Splits like Python's universal-newline reading: at `\n`, `\r\n` and `\r`.
    private static func lines(of text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var previousWasCR = false
        var scalars = text.unicodeScalars[...]
        // A byte-order mark would make Python reject the file; accepting it costs nothing.
        if scalars.first == "\u{FEFF}" {
            scalars = scalars.dropFirst()
        }
        for scalar in scalars {
            if scalar == "\n" {
                if !previousWasCR {
                    lines.append(current)
                    current = []
                }
                previousWasCR = false
            } else if scalar == "\r" {
                lines.append(current)
                current = []
                previousWasCR = true
            } else {
                current.append(scalar)
                previousWasCR = false
            }
        }
        if !current.isEmpty {
            lines.append(current)
        }
        return lines
    }
}

extension INIFile {
    /// The line-by-line state of `RawConfigParser._read`.
    private struct Parser {
        private struct PendingSection {
            var name: String
            var values: [(key: String, lines: [String])] = []
            var lineNumbers: [String: Int] = [:]

            mutating func set(_ key: String, _ value: String, line: Int) {
                if let index = values.firstIndex(where: { $0.key == key }) {
                    values[index].lines = [value]
                } else {
                    values.append((key, [value]))
                }
                lineNumbers[key] = line
            }

            mutating func appendToLast(key: String, _ line: String) {
                if let index = values.firstIndex(where: { $0.key == key }) {
                    values[index].lines.append(line)
                }
            }
        }

        private static let defaultSectionName = "DEFAULT"

        private var sections: [PendingSection] = []
        private var defaults = PendingSection(name: Parser.defaultSectionName)
        /// Index into `sections`, or -1 for `[DEFAULT]`; nil before the first header.
        private var currentSection: Int?
        private var currentKey: String?
        private var indentLevel = 0
        private var seenSections: Set<String> = []
        private var seenKeys: Set<[String]> = []
        private var firstError: ParseError?

        mutating func consume(_ line: [Unicode.Scalar], number: Int) throws(ParseError) {
            let stripped = Self.strip(line)
            if stripped.first == "#" || stripped.first == ";" {
                return
            }
            if stripped.isEmpty {
                // Blank lines belong to the value being read; trailing ones are dropped at the end.
                if let key = currentKey {
                    withCurrent { $0.appendToLast(key: key, "") }
                }
                return
            }
            let indent = line.firstIndex { !$0.properties.isWhitespace } ?? 0
            let value = String(String.UnicodeScalarView(stripped))
            if let key = currentKey, currentSection != nil, indent > indentLevel {
                withCurrent { $0.appendToLast(key: key, value) }
                return
            }
            indentLevel = indent
            if let header = Self.sectionHeader(stripped) {
                try openSection(header, line: number)
                return
            }
            guard currentSection != nil else {
                throw ParseError(kind: .missingSectionHeader, line: number)
            }
            guard let delimiter = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                // configparser keeps reading and reports bad lines at the end.
                recordError(ParseError(kind: .invalidLine, line: number))
                return
            }
            let rawKey = Self.strip(Array(stripped[..<delimiter]))
            let rawValue = Self.strip(Array(stripped[(delimiter + 1)...]))
            if rawKey.isEmpty {
                recordError(ParseError(kind: .invalidLine, line: number))
            }
            let key = String(String.UnicodeScalarView(rawKey)).lowercased()
            let sectionName = currentSectionName
            if !seenKeys.insert([sectionName, key]).inserted {
                throw ParseError(kind: .duplicateKey(section: sectionName, key: key), line: number)
            }
            let text = String(String.UnicodeScalarView(rawValue))
            withCurrent { $0.set(key, text, line: number) }
            currentKey = key
        }

        mutating func finish() throws(ParseError) -> [Section] {
            if let firstError {
                throw firstError
            }
            let defaultValues = try Self.join(defaults)
            var result: [Section] = []
            for pending in sections {
                var values = defaultValues
                for (key, value) in try Self.join(pending) {
                    values[key] = value
                }
                result.append(Section(name: pending.name, values: values))
            }
            return result
        }

        private var currentSectionName: String {
            guard let currentSection, currentSection >= 0 else { return Self.defaultSectionName }
            return sections[currentSection].name
        }

        private mutating func openSection(_ name: String, line: Int) throws(ParseError) {
            currentKey = nil
            if name == Self.defaultSectionName {
                currentSection = -1
                return
            }
            if !seenSections.insert(name).inserted {
                throw ParseError(kind: .duplicateSection(name), line: line)
            }
            sections.append(PendingSection(name: name))
            currentSection = sections.count - 1
        }

        private mutating func withCurrent(_ body: (inout PendingSection) -> Void) {
            guard let currentSection else { return }
            if currentSection < 0 {
                body(&defaults)
            } else {
                body(&sections[currentSection])
            }
        }

        private mutating func recordError(_ error: ParseError) {
            if firstError == nil {
                firstError = error
            }
        }

        /// `\[(.+)\]` matched at the start: everything up to the *last* `]`, which may be
        /// followed by anything.
        private static func sectionHeader(_ stripped: [Unicode.Scalar]) -> String? {
            guard stripped.first == "[", let close = stripped.lastIndex(of: "]"), close >= 2 else {
                return nil
            }
            return String(String.UnicodeScalarView(stripped[1..<close]))
        }

        /// Joins continuation lines and checks indented blocks the way botocore's
        /// `raw_config_parse` does: a value that starts on the next line is a nested
        /// `key = value` block, and a block line without `=` is an error.
        private static func join(_ section: PendingSection) throws(ParseError) -> [String: String] {
            var values: [String: String] = [:]
            for (key, lines) in section.values {
                var joined = lines.joined(separator: "\n")
                while let last = joined.unicodeScalars.last, last.properties.isWhitespace {
                    joined.unicodeScalars.removeLast()
                }
                if joined.hasPrefix("\n") {
                    let malformed = joined.split(separator: "\n").contains { line in
                        !line.allSatisfy(\.isWhitespace) && !line.contains("=")
                    }
                    if malformed {
                        throw ParseError(kind: .invalidNestedValue(key: key), line: section.lineNumbers[key] ?? 0)
                    }
                }
                values[key] = joined
            }
            return values
        }

        private static func strip(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
            guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
                  let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
            else { return [] }
            return Array(scalars[start...end])
        }
    }
}
