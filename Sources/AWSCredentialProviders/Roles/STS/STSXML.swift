import AWSCore
/// The few XML documents STS answers with, read strictly.
///
/// STS speaks the AWS query protocol: its answers are small XML documents of nested elements
/// with text, `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>…`, and errors as
/// `<ErrorResponse><Error><Code>…`. This reader takes exactly that subset (an optional XML
/// declaration, elements with attributes it ignores, text with the five predefined entities and
/// character references) and refuses everything else (comments, CDATA, DOCTYPE, processing
/// instructions, mixed-up nesting) with a short reason: a general XML library would add libxml2
/// to the binary for four fields.
struct STSXML: Sendable, Equatable {
    /// An element: its name without a namespace prefix, its children, and its text.
    struct Element: Sendable, Equatable {
        var name: String
        var children: [Element] = []
        var text = ""

        /// The first child named `name`.
        func child(_ name: String) -> Element? {
            children.first { $0.name == name }
        }

        /// The element at the end of `path` of child names.
        func find(_ path: [String]) -> Element? {
            var current = self
            for name in path {
                guard let next = current.child(name) else { return nil }
                current = next
            }
            return current
        }
    }

    /// Why a document could not be read.
    struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The largest document read: STS answers are a few KiB.
    static let sizeLimit = 64 * 1024
    /// The deepest nesting read: STS answers go four levels deep.
    static let depthLimit = 16

    let root: Element

    init(parsing bytes: [UInt8]) throws(Problem) {
        guard bytes.count <= Self.sizeLimit else { throw Problem(description: "the document is larger than \(Self.sizeLimit / 1024) KiB") }
        var reader = Reader(bytes: bytes)
        root = try reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func document() throws(Problem) -> Element {
            skipWhitespace()
            if starts(with: "<?xml") {
                guard let end = find("?>") else { throw problem("the XML declaration does not end") }
                index = end + 2
            }
            skipWhitespace()
            let root = try element(depth: 0)
            skipWhitespace()
            guard index == bytes.count else { throw problem("there is text after the document's element") }
            return root
        }

        mutating func element(depth: Int) throws(Problem) -> Element {
            guard depth < STSXML.depthLimit else { throw problem("elements are nested too deeply") }
            guard peek() == UInt8(ascii: "<") else { throw problem("an element was expected") }
            if starts(with: "<!--") { throw problem("comments are not expected") }
            if starts(with: "<!") || starts(with: "<?") { throw problem("declarations and instructions are not expected") }
            index += 1
            let qualified = try name()
            // Attributes (xmlns, mostly) are skipped; a quoted value may hold '>' or '/'.
            var selfClosing = false
            while true {
                guard let byte = peek() else { throw problem("the tag <\(qualified)> does not end") }
                if byte == UInt8(ascii: ">") { index += 1; break }
                if byte == UInt8(ascii: "/"), next() == UInt8(ascii: ">") { index += 2; selfClosing = true; break }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    try skipQuoted(byte)
                } else if byte == UInt8(ascii: "<") {
                    throw problem("the tag <\(qualified)> does not end")
                } else {
                    index += 1
                }
            }
            var element = Element(name: Self.localName(qualified))
            if selfClosing { return element }
            while true {
                guard let byte = peek() else { throw problem("<\(qualified)> is not closed") }
                if byte == UInt8(ascii: "<") {
                    if next() == UInt8(ascii: "/") {
                        index += 2
                        let closing = try name()
                        skipWhitespace()
                        guard peek() == UInt8(ascii: ">") else { throw problem("the closing tag </\(closing)> does not end") }
                        index += 1
                        guard closing == qualified else { throw problem("<\(qualified)> is closed by </\(closing)>") }
                        if !element.children.isEmpty { element.text = "" }
                        return element
                    }
                    if starts(with: "<![CDATA[") { throw problem("CDATA sections are not expected") }
                    element.children.append(try self.element(depth: depth + 1))
                } else {
                    element.text += try text()
                }
            }
        }

        /// Text up to the next `<`, with entities and character references decoded.
        mutating func text() throws(Problem) -> String {
            var decoded: [UInt8] = []
            while let byte = peek(), byte != UInt8(ascii: "<") {
                if byte == UInt8(ascii: "&") {
                    guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ";")), end - index <= 10 else {
                        throw problem("an '&' does not start an entity")
                    }
                    let entity = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                    guard let scalar = Self.entity(entity) else { throw problem("the entity '&\(entity);' is not known") }
                    decoded += Array(String(scalar).utf8)
                    index = end + 1
                } else {
                    decoded.append(byte)
                    index += 1
                }
            }
            return String(decoding: decoded, as: UTF8.self)
        }

        mutating func name() throws(Problem) -> String {
            let start = index
            while let byte = peek(), Self.isNameByte(byte) { index += 1 }
            guard index > start else { throw problem("a tag has no name") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func skipQuoted(_ quote: UInt8) throws(Problem) {
            index += 1
            guard let end = bytes[index...].firstIndex(of: quote) else { throw problem("an attribute value is not closed") }
            index = end + 1
        }

        mutating func skipWhitespace() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
        func next() -> UInt8? { index + 1 < bytes.count ? bytes[index + 1] : nil }

        func starts(with text: String) -> Bool {
            bytes[index...].starts(with: text.utf8)
        }

        func find(_ text: String) -> Int? {
            let pattern = Array(text.utf8)
            var position = index
            while position + pattern.count <= bytes.count {
                if bytes[position..<(position + pattern.count)].elementsEqual(pattern) { return position }
                position += 1
            }
            return nil
        }

        /// The reason, made safe to show: it may quote a tag name from the document.
        func problem(_ reason: String) -> Problem {
            Problem(description: "\(ServiceErrorText.excerpt(SecretLikeText.redactingKeys(reason), limit: 200)) (at byte \(index))")
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
                true
            default:
                byte >= 0x80
            }
        }

        /// `ns:Name` → `Name`.
        static func localName(_ qualified: String) -> String {
            qualified.split(separator: ":").last.map(String.init) ?? qualified
        }

        static func entity(_ name: String) -> Unicode.Scalar? {
            switch name {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                let value: UInt32?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    value = UInt32(name.dropFirst(2), radix: 16)
                } else if name.hasPrefix("#") {
                    value = UInt32(name.dropFirst(), radix: 10)
                } else {
                    value = nil
                }
                return value.flatMap(Unicode.Scalar.init)
            }
        }
    }
}
