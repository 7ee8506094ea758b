public import CoreMetrics
import Foundation
import Model

/// The loop's metrics: each pool's status, times and polls, and the events reported, recorded
/// through swift-metrics' API into whatever backend the factory is.
///
/// A value owned by the ``WatchLoop`` actor, so it needs no lock; the series themselves are the
/// backend's. A pool's series exist while it is configured: a pool dropped by a reload loses
/// them, so a scrape never shows a pool the daemon no longer watches.
public struct PoolMetrics: Sendable {
    private let factory: any MetricsFactory
    private var pools: [IdentityPoolID: PoolSeries] = [:]
    private var events: [WatchEvent.Kind: CoreMetrics.Counter] = [:]
    /// Called after a change that a written copy of the metrics should pick up.
    private let changed: @Sendable () -> Void

    public init(factory: any MetricsFactory, changed: @escaping @Sendable () -> Void = {}) {
        self.factory = factory
        self.changed = changed
    }

    /// Starts (or, for a pool whose name changed, renews) a pool's series from its state.
    mutating func track(_ pool: WatchedPool, state: PoolState) {
        if let existing = pools[pool.id] {
            guard existing.name != (pool.name ?? "") else { return }
            existing.destroy()
        }
        var series = PoolSeries(pool: pool, factory: factory)
        series.show(PoolReading(state))
        pools[pool.id] = series
        changed()
    }

    /// Drops a pool's series.
    mutating func forget(_ id: IdentityPoolID) {
        pools.removeValue(forKey: id)?.destroy()
        changed()
    }

    /// Counts one poll and shows the state it left.
    mutating func recordPoll(of id: IdentityPoolID, failure: PollFailure?, state: PoolState) {
        guard var series = pools[id] else { return }
        series.count(outcome: failure.map(\.cause.rawValue) ?? "ok")
        series.show(PoolReading(state))
        pools[id] = series
        changed()
    }

    /// Counts reported events by kind.
    mutating func recordEvents(_ reported: [WatchEvent]) {
        for event in reported {
            let counter = events[event.kind] ?? CoreMetrics.Counter(
                label: MetricCatalog.events.name, dimensions: [("kind", event.kind.rawValue)], factory: factory)
            events[event.kind] = counter
            counter.increment()
        }
    }
}

/// One pool's series, and the values last shown, so an unchanged value is not recorded again.
private struct PoolSeries: Sendable {
    let name: String
    private let dimensions: [(String, String)]
    private let factory: any MetricsFactory
    private let status: [String: Gauge]
    private var shown: PoolReading?
    private var times: [String: Gauge] = [:]
    private let polls: [String: CoreMetrics.Counter]

    init(pool: WatchedPool, factory: any MetricsFactory) {
        let name = pool.name ?? ""
        let dimensions = [("pool", pool.id.rawValue), ("name", name)]
        self.name = name
        self.dimensions = dimensions
        self.factory = factory
        status = Dictionary(uniqueKeysWithValues: MetricCatalog.statusValues.map { value in
            (value, Gauge(label: MetricCatalog.poolStatus.name, dimensions: dimensions + [("status", value)], factory: factory))
        })
        // Every outcome from the start, at 0: a counter that appears at its first increment
        // hides that increment from rate() and increase().
        polls = Dictionary(uniqueKeysWithValues: (["ok"] + PollFailure.Cause.allCases.map(\.rawValue)).map { outcome in
            (outcome, CoreMetrics.Counter(label: MetricCatalog.polls.name, dimensions: dimensions + [("outcome", outcome)], factory: factory))
        })
    }

    mutating func show(_ reading: PoolReading) {
        if reading.status != shown?.status {
            for (value, gauge) in status where value == reading.status || value == shown?.status || shown == nil {
                gauge.record(value == reading.status ? 1 : 0)
            }
        }
        show(reading.lastTransition, as: MetricCatalog.lastTransition, was: shown?.lastTransition)
        show(reading.runStart, as: MetricCatalog.runStart, was: shown?.runStart)
        show(reading.runComplete, as: MetricCatalog.runComplete, was: shown?.runComplete)
        show(reading.lastSuccessfulPoll, as: MetricCatalog.lastSuccessfulPoll, was: shown?.lastSuccessfulPoll)
        shown = reading
    }

    /// A time is a series while it is known; it disappears when the state no longer has it.
    private mutating func show(_ time: Date?, as family: MetricCatalog.Family, was previous: Date?) {
        guard time != previous || (time != nil && times[family.name] == nil) else { return }
        guard let time else {
            times.removeValue(forKey: family.name)?.destroy()
            return
        }
        let gauge = times[family.name] ?? Gauge(label: family.name, dimensions: dimensions, factory: factory)
        times[family.name] = gauge
        gauge.record(time.timeIntervalSince1970)
    }

    func count(outcome: String) {
        polls[outcome]?.increment()
    }

    func destroy() {
        for gauge in status.values { gauge.destroy() }
        for gauge in times.values { gauge.destroy() }
        for counter in polls.values { counter.destroy() }
    }
}
