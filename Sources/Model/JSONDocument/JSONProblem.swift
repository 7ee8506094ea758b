/// One thing wrong with a JSON document: where (a path such as `pools[2].id`, or `$` for the
/// whole document), what, and how to fix it.
public struct JSONProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var hint: String?

    public init(path: String, message: String, hint: String? = nil) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// One line, whatever the document held: keys and values quoted from it are escaped.
    public var description: String {
        var text = "\(path): \(message)"
        if let hint { text += " (\(hint))" }
        return VisibleText.escaped(text)
    }
}
