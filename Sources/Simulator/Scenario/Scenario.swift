public import Foundation
public import Model

/// What the simulated service knows and how it behaves: the credentials it accepts, its pools
/// with their scripted histories, and faults.
///
/// Read from a JSON file with ``parse(_:)``, which rejects unknown keys; see
/// `scenarios/README.md` for the format.
public struct Scenario: Sendable, Equatable {
    /// Free text for people reading the file.
    public var scenarioDescription: String?
    /// When `false` every request is accepted unsigned, for tools that cannot sign.
    public var verifySignatures: Bool
    public var credentials: [ScenarioCredential]
    public var pools: [ScenarioPool]
    /// Faults for every pool (or for the pool a rule names).
    public var faults: [FaultRule]
    /// The roles STS lets callers assume; empty: any well-formed role ARN.
    public var roles: [ScenarioRole]

    public init(
        scenarioDescription: String? = nil,
        verifySignatures: Bool = true,
        credentials: [ScenarioCredential] = [.demo],
        pools: [ScenarioPool],
        faults: [FaultRule] = [],
        roles: [ScenarioRole] = []
    ) {
        self.scenarioDescription = scenarioDescription
        self.verifySignatures = verifySignatures
        self.credentials = credentials
        self.pools = pools
        self.faults = faults
        self.roles = roles
    }

    /// Parses and checks a scenario document.
    /// - Throws: ``ScenarioError`` listing every problem with its JSON path.
    public static func parse(_ data: Data) throws(ScenarioError) -> Scenario {
        try ScenarioParser.scenario(from: data)
    }

    /// Reads and parses a scenario file.
    /// - Throws: ``ScenarioError``, also when the file cannot be read.
    public static func load(contentsOf url: URL) throws(ScenarioError) -> Scenario {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ScenarioError(problems: [
                ScenarioProblem(path: "$", message: "cannot read \(url.path): \(error.localizedDescription)"),
            ])
        }
        return try parse(data)
    }

    /// Parses one fault rule, as the admin API receives it.
    /// - Throws: ``ScenarioError`` listing every problem with its JSON path.
    public static func parseFault(_ data: Data) throws(ScenarioError) -> FaultRule {
        try ScenarioParser.fault(from: data)
    }
}
