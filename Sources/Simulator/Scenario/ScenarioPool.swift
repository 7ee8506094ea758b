public import Model

/// An identity pool the simulated service knows, with its scripted history, what `BulkPublish`
/// does to it, and faults that hit only its requests.
public struct ScenarioPool: Sendable, Equatable {
    public var id: IdentityPoolID
    /// A label for logs and the admin API; the service never sends it.
    public var name: String?
    /// In ascending order of `at`.
    public var timeline: [TimelineEntry]
    public var bulkPublish: BulkPublishBehaviour
    /// Faults for this pool's requests only; their ``FaultRule/pool`` is this pool.
    public var faults: [FaultRule]

    public init(
        id: IdentityPoolID,
        name: String? = nil,
        timeline: [TimelineEntry] = [],
        bulkPublish: BulkPublishBehaviour = BulkPublishBehaviour(),
        faults: [FaultRule] = []
    ) {
        self.id = id
        self.name = name
        self.timeline = timeline
        self.bulkPublish = bulkPublish
        self.faults = faults.map { rule in
            var rule = rule
            rule.pool = id
            return rule
        }
    }
}
