/// A kind of value read from a JSON document, named at the head of the problems found in one.
public protocol JSONDocument {
    /// How the document is called in a message: "configuration", "scenario".
    static var documentName: String { get }
}

/// Every problem found in a `Document`, reported together so one edit can fix them all.
public struct JSONDocumentError<Document: JSONDocument>: Error, Equatable, CustomStringConvertible {
    public var problems: [JSONProblem]

    public init(problems: [JSONProblem]) {
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return (["the \(Document.documentName) has \(count):"] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
