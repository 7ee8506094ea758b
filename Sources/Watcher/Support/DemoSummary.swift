import Foundation
import Model
import Simulator

/// The demo's words: what each pool is about to do, and what the watcher saw.
enum DemoSummary {
    /// One line per pool of what its scripted timeline and faults will do.
    static func plan(for scenario: Scenario) -> String {
        var table = TextTable(headers: ["POOL", "ID", "SCRIPTED"])
        for pool in scenario.pools {
            table.append([pool.name ?? "-", pool.id.rawValue, script(of: pool, globalFaults: scenario.faults)])
        }
        return table.render()
    }

    /// `NOT_STARTED, IN_PROGRESS at 4s, SUCCEEDED at 14s; HTTP 503 from 5s to 13s`.
    static func script(of pool: ScenarioPool, globalFaults: [FaultRule]) -> String {
        var steps = pool.timeline.map { entry in
            entry.at <= 0 ? entry.status.rawValue : "\(entry.status.rawValue) at \(EventText.duration(entry.at))"
        }
        if steps.isEmpty { steps = ["NOT_STARTED"] }
        if pool.timeline.last?.status == .inProgress { steps.append("never finishes") }
        let faults = (pool.faults + globalFaults.filter { $0.pool == nil || $0.pool == pool.id }).map(describe)
        return steps.joined(separator: ", ") + (faults.isEmpty ? "" : "; " + faults.joined(separator: "; "))
    }

    private static func describe(_ fault: FaultRule) -> String {
        let name: String
        switch fault.kind {
        case .http500: name = "HTTP 500"
        case .http503: name = "HTTP 503"
        case .throttle429, .throttling400: name = "throttling"
        default: name = fault.kind.rawValue
        }
        switch (fault.from, fault.until) {
        case (let from?, let until?): return "\(name) from \(EventText.duration(from)) to \(EventText.duration(until))"
        case (let from?, nil): return "\(name) from \(EventText.duration(from))"
        case (nil, let until?): return "\(name) until \(EventText.duration(until))"
        case (nil, nil): return name
        }
    }

    /// The closing table: per pool, the last status seen, the events reported, the polls made
    /// and the error answers the simulator served (retried within a poll, so often unseen).
    static func outcome(
        pools: [WatchedPool], states: [IdentityPoolID: PoolState], events: [WatchEvent],
        counts: [IdentityPoolID: CountingFetcher.Counts], served: RequestLog
    ) -> String {
        var table = TextTable(headers: ["POOL", "LAST STATUS", "EVENTS REPORTED", "POLLS", "ERROR ANSWERS SERVED"])
        var failures: [String] = []
        for pool in pools {
            let reported = events.filter { $0.poolID == pool.id }
            let kinds = reported.map { words(for: $0.kind) }
            let count = counts[pool.id] ?? CountingFetcher.Counts()
            let failed = count.failures.values.reduce(0, +)
            var errors: [String: Int] = [:]
            for entry in served.recent where entry.pool == pool.id.rawValue && (entry.status ?? 0) >= 400 {
                errors["\(entry.status.map(String.init) ?? "reset") \(entry.errorCode ?? "")", default: 0] += 1
            }
            table.append([
                pool.name ?? pool.id.rawValue,
                states[pool.id]?.lastStatus?.rawValue ?? "-",
                kinds.isEmpty ? "none" : kinds.joined(separator: ", "),
                failed == 0 ? String(count.polls) : "\(count.polls) (\(failed) failed)",
                errors.isEmpty ? "none" : errors.sorted { $0.key < $1.key }.map { "\($0.value) x \($0.key)" }.joined(separator: ", "),
            ])
            for event in reported where event.kind == .failed {
                failures.append("\(pool.name ?? pool.id.rawValue) FAILED: \(OneLine.clean(event.failureMessage ?? "no FailureMessage"))")
            }
        }
        return ([table.render()] + (failures.isEmpty ? [] : [""] + failures)).joined(separator: "\n")
    }

    private static func words(for kind: WatchEvent.Kind) -> String {
        switch kind {
        case .started: "started"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .stalled: "stalled"
        case .anomaly: "anomaly"
        case .unrecognizedStatus: "unknown status"
        case .pollFailing: "polls failing"
        case .pollRecovered: "polls recovered"
        }
    }
}

extension DemoSummary {
    /// `3` or `2.5`, without a trailing `.0`.
    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
