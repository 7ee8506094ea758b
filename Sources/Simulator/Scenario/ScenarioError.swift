/// One thing wrong with a scenario file: where (a JSON path such as `pools[1].timeline[0].at`),
/// what, and how to fix it.
public struct ScenarioProblem: Sendable, Equatable, CustomStringConvertible {
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

/// Every problem found in a scenario, reported together so one edit can fix them all.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ScenarioProblem]

    public init(problems: [ScenarioProblem]) {
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return (["the scenario has \(count):"] + problems.map { "  - \($0.description)" }).joined(separator: "\n")
    }
}
