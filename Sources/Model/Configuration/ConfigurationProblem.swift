/// One thing wrong with a configuration: where (a JSON path such as `pools[2].id`), what, and
/// how to fix it.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var hint: String?

    public init(path: String, message: String, hint: String? = nil) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = "\(path): \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Every problem found in a configuration, reported together so one edit can fix them all.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "the configuration has \(count):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
