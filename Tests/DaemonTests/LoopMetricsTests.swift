import DaemonTestSupport
import CoreMetrics
import Daemon
import Foundation
import Model
import Prometheus
import PrometheusExport
import Synchronization
import Testing

/// The loop's metrics, as a scrape of the Prometheus registry shows them: driven by the manual
/// clock and the scripted fetcher, read back from the exposition text.
struct LoopMetricsTests {
    typealias H = LoopHarness

    /// A loop recording into a registry of its own, and a count of the changes it announced.
    struct Measured {
        let harness: H
        let factory = DescribedPrometheusFactory()
        let changes = ChangeCount()

        init(_ pools: [IdentityPoolID], scripts: [IdentityPoolID: [(Double, ScriptedFetcher.Answer)]]) {
            let factory = factory
            let changes = changes
            harness = H(configuration: H.configuration(pools), scripts: scripts, metrics: PoolMetrics(factory: factory) {
                changes.value.add(1, ordering: .relaxed)
            })
        }

        var text: String { String(decoding: factory.registry.emitToBuffer(), as: UTF8.self) }

        /// The value of the one series named so, or nil when there is none.
        func value(_ name: String, _ labels: KeyValuePairs<String, String>) -> Double? {
            let selector = name + "{" + labels.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "} "
            let lines = text.split(separator: "\n").filter { $0.hasPrefix(selector) }
            guard lines.count == 1, let last = lines[0].split(separator: " ").last else { return nil }
            return Double(last)
        }

        func status(_ pool: IdentityPoolID) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: MetricCatalog.statusValues.compactMap { status in
                value(MetricCatalog.poolStatus.name, ["pool": pool.rawValue, "name": Self.name(pool), "status": status]).map { (status, $0) }
            })
        }

        static func name(_ pool: IdentityPoolID) -> String { "pool-\(pool.rawValue.suffix(4))" }
    }

    final class ChangeCount: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test func aFailedRunShowsAsFailedWithItsTimes() async throws {
        let measured = Measured([H.a], scripts: [H.a: [
            (0, Answer.details(.inProgress, start: -5)),
            (30, Answer.details(.failed, start: -5, complete: 20, failure: "Kinesis stream not found")),
        ]])
        let pool = ["pool": H.a.rawValue, "name": Measured.name(H.a)] as KeyValuePairs
        await measured.harness.start()
        #expect(measured.status(H.a) == ["UNKNOWN": 0, "NOT_STARTED": 0, "IN_PROGRESS": 1, "SUCCEEDED": 0, "FAILED": 0])
        #expect(measured.value(MetricCatalog.lastTransition.name, pool) == Answer.epoch - 5)
        #expect(measured.value(MetricCatalog.runComplete.name, pool) == nil, "no completion yet")
        await measured.harness.advance(by: 30)
        #expect(measured.status(H.a) == ["UNKNOWN": 0, "NOT_STARTED": 0, "IN_PROGRESS": 0, "SUCCEEDED": 0, "FAILED": 1])
        #expect(measured.value(MetricCatalog.runStart.name, pool) == Answer.epoch - 5)
        #expect(measured.value(MetricCatalog.runComplete.name, pool) == Answer.epoch + 20)
        #expect(measured.value(MetricCatalog.lastTransition.name, pool) == Answer.epoch + 20)
        let polled = measured.harness.scheduler.wallNow().timeIntervalSince1970
        #expect(measured.value(MetricCatalog.lastSuccessfulPoll.name, pool) == polled)
        #expect(measured.value(MetricCatalog.polls.name, ["pool": H.a.rawValue, "name": Measured.name(H.a), "outcome": "ok"]) == 2)
        #expect(measured.value(MetricCatalog.events.name, ["kind": "started"]) == 1)
        #expect(measured.value(MetricCatalog.events.name, ["kind": "failed"]) == 1)
        #expect(measured.changes.value.load(ordering: .relaxed) >= 3, "tracked, and each poll")
    }

    @Test func failedPollsAreCountedByCauseFromZero() async throws {
        let measured = Measured([H.a], scripts: [H.a: [
            (0, Answer.failure(.throttled, "ThrottlingException")),
            (5, .failure(PollFailure(kind: .transient, cause: .network, code: "Timeout", message: "timed out"))),
        ]])
        await measured.harness.start()
        await measured.harness.advance(by: 60)
        func polls(_ outcome: String) -> Double? {
            measured.value(MetricCatalog.polls.name, ["pool": H.a.rawValue, "name": Measured.name(H.a), "outcome": outcome])
        }
        #expect((polls("throttled") ?? 0) >= 1)
        #expect((polls("network") ?? 0) >= 1)
        for outcome in ["ok", "client_error", "server_error", "credentials", "malformed"] {
            #expect(polls(outcome) == 0, "\(outcome) is there from the start, at 0")
        }
        #expect(measured.status(H.a)["UNKNOWN"] == 1)
        #expect(measured.value(MetricCatalog.lastSuccessfulPoll.name, ["pool": H.a.rawValue, "name": Measured.name(H.a)]) == nil)
    }

    @Test func aPoolDroppedByAReloadLosesItsSeriesAndARenamedOneIsRelabelled() async throws {
        let measured = Measured([H.a, H.b], scripts: [
            H.a: [(0, Answer.details(.succeeded, start: -100, complete: -10))],
            H.b: [(0, Answer.details(.notStarted))],
        ])
        await measured.harness.start()
        #expect(measured.text.contains("pool=\"\(H.b.rawValue)\""))
        var next = H.configuration([H.a])
        next.pools[0].name = "orders"
        await measured.harness.loop.reload(configuration: next)
        let text = measured.text
        #expect(!text.contains(H.b.rawValue), "dropped: \(text)")
        #expect(!text.contains("name=\"\(Measured.name(H.a))\""), "the old name is gone: \(text)")
        #expect(measured.value(MetricCatalog.poolStatus.name, ["pool": H.a.rawValue, "name": "orders", "status": "SUCCEEDED"]) == 1)
        #expect(measured.value(MetricCatalog.runComplete.name, ["pool": H.a.rawValue, "name": "orders"]) == Answer.epoch - 10)
    }

    @Test func everyFamilyHasItsHelpText() async throws {
        let measured = Measured([H.a], scripts: [H.a: [(0, Answer.details(.notStarted))]])
        await measured.harness.start()
        let text = measured.text
        for family in [MetricCatalog.poolStatus, MetricCatalog.polls, MetricCatalog.lastSuccessfulPoll] {
            #expect(text.contains("# HELP \(family.name) \(family.help)\n"), "\(family.name)")
        }
        #expect(text.contains("# TYPE \(MetricCatalog.polls.name) counter\n"))
        #expect(text.contains("# TYPE \(MetricCatalog.poolStatus.name) gauge\n"))
    }
}
