import Foundation
import Simulator

extension Scenario {
    /// The same story told `factor` times faster: every time in it (timelines, fault windows,
    /// run durations, credential expiries) divided by `factor`.
    func spedUp(by factor: Double) -> Scenario {
        guard factor != 1 else { return self }
        func scaled(_ seconds: TimeInterval?) -> TimeInterval? { seconds.map { $0 / factor } }
        func scaled(_ rule: FaultRule) -> FaultRule {
            var rule = rule
            rule.from = scaled(rule.from)
            rule.until = scaled(rule.until)
            rule.delaySeconds = scaled(rule.delaySeconds)
            return rule
        }
        var copy = self
        copy.credentials = credentials.map { credential in
            var credential = credential
            credential.expiresAfterSeconds = scaled(credential.expiresAfterSeconds)
            return credential
        }
        copy.faults = faults.map(scaled)
        copy.pools = pools.map { pool in
            var pool = pool
            pool.timeline = pool.timeline.map { entry in
                var entry = entry
                entry.at /= factor
                entry.startedAt = scaled(entry.startedAt)
                return entry
            }
            pool.bulkPublish.durationSeconds /= factor
            pool.faults = pool.faults.map(scaled)
            return pool
        }
        return copy
    }
}
