import Foundation
import Model

/// Everything the simulated service remembers, as a value: runs started through `BulkPublish`,
/// the faults in force and the request log. It does no IO and reads no clock; the time is
/// always an argument.
struct ServiceState: Sendable {
    /// A bulk publish is refused for this long after one succeeded.
    static let alreadyStreamedWindow: TimeInterval = 24 * 3600

    let pools: [IdentityPoolID: ScenarioPool]
    private(set) var startedRuns: [IdentityPoolID: [TimelineEntry]] = [:]
    private(set) var faults: [ActiveFault] = []
    private var nextFaultID = 1
    var log = RequestLog()
    /// Temporary credentials the simulated STS issued, by access key id.
    var issued: [String: ScenarioCredential] = [:]
    /// Refresh tokens IAM Identity Center's OIDC service has rotated away.
    var spentRefreshTokens: Set<String> = []

    init(scenario: Scenario) {
        pools = Dictionary(scenario.pools.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for pool in scenario.pools {
            for var rule in pool.faults {
                rule.pool = pool.id
                addFault(rule)
            }
        }
        for rule in scenario.faults {
            addFault(rule)
        }
    }

    // MARK: - Pools

    /// What `GetBulkPublishDetails` reports for `pool` at `time` seconds after `start`; `nil`
    /// for a pool the service does not know.
    func details(for pool: IdentityPoolID, at time: TimeInterval, start: Date) -> BulkPublishDetails? {
        guard let scenarioPool = pools[pool] else { return nil }
        let entries = PoolTimeline.merged(scenarioPool.timeline, startedRuns[pool] ?? [])
        return PoolTimeline.details(for: pool, entries: entries, at: time, start: start)
    }

    /// Starts a run as `BulkPublish` does, or says why the service refuses.
    mutating func bulkPublish(_ pool: IdentityPoolID, at time: TimeInterval, start: Date) -> ServiceError? {
        guard let scenarioPool = pools[pool], let current = details(for: pool, at: time, start: start) else {
            return .resourceNotFound(pool: pool.rawValue)
        }
        if current.status == .inProgress {
            return .duplicateRequest(pool: pool.rawValue)
        }
        let now = start.addingTimeInterval(time)
        if current.status == .succeeded, let completed = current.completeTime,
           now.timeIntervalSince(completed) < Self.alreadyStreamedWindow {
            return .alreadyStreamed(pool: pool.rawValue)
        }
        let behaviour = scenarioPool.bulkPublish
        startedRuns[pool, default: []] += [
            TimelineEntry(at: time, status: .inProgress, startedAt: time),
            TimelineEntry(at: time + behaviour.durationSeconds, status: behaviour.outcome,
                          failureMessage: behaviour.outcome == .failed ? behaviour.failureMessage : nil),
        ]
        return nil
    }

    // MARK: - Faults

    /// Adds a fault; it applies from the next request.
    @discardableResult
    mutating func addFault(_ rule: FaultRule) -> ActiveFault {
        let fault = ActiveFault(id: nextFaultID, rule: rule, hits: 0)
        nextFaultID += 1
        faults.append(fault)
        return fault
    }

    mutating func removeAllFaults() {
        faults.removeAll()
    }

    /// Removes one fault; `false` when there is none with that id.
    mutating func removeFault(id: Int) -> Bool {
        guard let index = faults.firstIndex(where: { $0.id == id }) else { return false }
        faults.remove(at: index)
        return true
    }

    /// The fault that hits this request, counted as a hit. A pool's own faults come before the
    /// global ones; within each, the first added wins. One fault per request.
    mutating func takeFault(pool: String?, operation: ServiceOperation, at time: TimeInterval) -> FaultRule? {
        let poolSpecific = faults.indices.filter { faults[$0].rule.pool != nil }
        let global = faults.indices.filter { faults[$0].rule.pool == nil }
        guard let index = (poolSpecific + global).first(where: { faults[$0].applies(to: pool, operation: operation, at: time) }) else {
            return nil
        }
        faults[index].hits += 1
        return faults[index].rule
    }
}
