import Foundation

/// Where a document stops being JSON, as a line and column an editor can find.
enum JSONSyntaxDiagnosis {
    /// JSONDecoder only says that the JSON breaks, so ask JSONSerialization, which names the
    /// offset, and turn that into a line and column.
    static func describe(_ data: Data) -> String {
        guard String(data: data, encoding: .utf8) != nil else { return "the file is not UTF-8 text" }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let debug = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error"
            if let match = debug.firstMatch(of: /(.*) around (?:character|line \d+, column) (\d+)\.?/),
               let offset = Int(match.2) {
                let (line, column) = lineAndColumn(of: offset, in: data)
                return "\(match.1) at line \(line), column \(column)"
            }
            return debug
        }
        return "the document is empty or not a JSON value"
    }

    /// Columns count characters, not bytes, so a multi-byte character moves the column by one.
    private static func lineAndColumn(of offset: Int, in data: Data) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
