public import Model

/// Every problem found in a scenario, reported together so one edit can fix them all.
public typealias ScenarioError = JSONDocumentError<Scenario>

/// One thing wrong with a scenario file: where (a JSON path such as `pools[1].timeline[0].at`),
/// what, and how to fix it.
public typealias ScenarioProblem = JSONProblem

extension Scenario: JSONDocument {
    public static let documentName = "scenario"
}
