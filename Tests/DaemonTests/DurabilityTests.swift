import DaemonTestSupport
import Daemon
import Foundation
import Model
import Testing
import ProcessSupport

/// What survives a restart, a crash, a failing sink or disk, a reload and a shutdown.
struct DurabilityTests {
    typealias H = LoopHarness

    @Test func stateRoundTripsThroughRealFiles() async throws {
        let directory = try ScratchDirectory()
        let script: [IdentityPoolID: [(Double, ScriptedFetcher.Answer)]] = [H.a: [
            (0, Answer.details(.inProgress, start: -5)), (30, Answer.details(.failed, start: -5, failure: "boom")),
        ]]
        let first = H(configuration: H.configuration([H.a]), scripts: script, store: try FileStateStore(directory: directory.url))
        await first.start()
        await first.advance(by: 60)
        #expect(first.sink.kinds == [.started, .failed])
        await first.loop.stop(gracePeriod: .seconds(5))

        let file = directory.url.appendingPathComponent("pools/\(H.a.rawValue).json")
        #expect(FileManager.default.fileExists(atPath: file.path))
        let saved = try JSONDecoder().decode(PoolState.self, from: Data(contentsOf: file))
        #expect(saved.lastStatus == .failed)
        #expect(saved.version == PoolState.currentVersion)

        // A restart: the same answers report nothing again.
        let second = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.failed, start: -5, failure: "boom"))]],
                       store: try FileStateStore(directory: directory.url))
        await second.start()
        await second.advance(by: 1000)
        #expect(second.sink.events.isEmpty)
    }

    @Test func aRunThatFailedWhileStoppedIsReportedAfterTheRestart() async throws {
        let directory = try ScratchDirectory()
        let first = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.inProgress, start: -5))]],
                      store: try FileStateStore(directory: directory.url))
        await first.start()
        await first.loop.stop(gracePeriod: .seconds(5))
        #expect(first.sink.kinds == [.started])

        let second = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.failed, start: -5, failure: "while down"))]],
                       store: try FileStateStore(directory: directory.url))
        await second.start()
        #expect(second.sink.kinds == [.failed])
        #expect(second.sink.events.first?.previousStatus == .inProgress)
    }

    @Test func aCorruptStateFileIsMovedAsideAndThePoolStartsAfresh() async throws {
        let directory = try ScratchDirectory()
        let store = try FileStateStore(directory: directory.url)
        let file = directory.url.appendingPathComponent("pools/\(H.a.rawValue).json")
        try Data("{\"version\": 1, \"run\": tru".utf8).write(to: file)
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.failed, start: -5, failure: "x"))]], store: store)
        let warnings = await harness.loop.start()
        await harness.loop.settle()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("cannot be used") == true)
        #expect(warnings.first?.contains("moved it to") == true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent("pools").path)
        #expect(names.contains { $0.hasPrefix(H.a.rawValue + ".json.corrupt-") })
        #expect(harness.sink.kinds == [.failed], "the latest run is reported rather than lost")
    }

    @Test func aStateFileThatCannotBeReadIsLeftWhereItIs() throws {
        let directory = try ScratchDirectory()
        let store = try FileStateStore(directory: directory.url)
        // A directory in a state file's place fails to read (EISDIR) whoever runs the test;
        // permissions would not, for root.
        let unreadable = directory.url.appendingPathComponent("pools/\(H.a.rawValue).json")
        try FileManager.default.createDirectory(at: unreadable, withIntermediateDirectories: false)
        let (states, warnings) = store.loadAll()
        #expect(states.isEmpty)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("cannot read the state file") == true)
        #expect(warnings.first?.contains("left as it is") == true)
        #expect(FileManager.default.fileExists(atPath: unreadable.path), "not moved aside")
    }

    @Test func aStateFileFromANewerVersionIsMovedAsideNotMisread() throws {
        let directory = try ScratchDirectory()
        let store = try FileStateStore(directory: directory.url)
        try Data(#"{"version": 7}"#.utf8).write(to: directory.url.appendingPathComponent("pools/\(H.a.rawValue).json"))
        let (states, warnings) = store.loadAll()
        #expect(states.isEmpty)
        #expect(warnings.first?.contains("state version 7 is not supported") == true)
    }

    @Test func aCrashBetweenReportingAndSavingReportsTheEventAgain() async throws {
        // The sink accepted the event, then the save failed (as if the process died before it).
        let store = MemoryStateStore()
        let script: [IdentityPoolID: [(Double, ScriptedFetcher.Answer)]] = [H.a: [(0, Answer.details(.failed, start: -5, failure: "x"))]]
        let first = H(configuration: H.configuration([H.a]), scripts: script, store: store)
        store.fail(true)
        await first.start()
        #expect(first.sink.kinds == [.failed])
        #expect(store.states.isEmpty)

        store.fail(false)
        let restarted = H(configuration: H.configuration([H.a]), scripts: script, store: store)
        await restarted.start()
        #expect(restarted.sink.kinds == [.failed], "delivered again: at least once, never lost")
        #expect(restarted.sink.events.first?.identity == first.sink.events.first?.identity, "with the same identity, so it can be deduplicated")
    }

    @Test func eventsASinkRefusesAreDeliveredLater() async {
        let sink = RecordingSink()
        sink.refuse(true)
        let harness = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.details(.failed, start: -5, failure: "x"))]], sink: sink)
        await harness.start()
        #expect(sink.events.isEmpty)
        sink.refuse(false)
        await harness.advance(by: 10)
        #expect(sink.kinds == [.failed])
        await harness.advance(by: 1000)
        #expect(sink.kinds == [.failed])
    }

    @Test func reloadAddsRemovesAndChangesPoolsWithoutLosingState() async throws {
        let harness = H(configuration: H.configuration([H.a, H.b]), scripts: [
            H.a: [(0, Answer.details(.inProgress, start: 0))],
            H.b: [(0, Answer.details(.notStarted))],
            H.c: [(0, Answer.details(.succeeded, start: -50, complete: -10))],
        ])
        await harness.start()
        #expect(harness.sink.kinds == [.started])

        var faster = H.settings
        faster.idleInterval = .seconds(60)
        var configuration = H.configuration([H.a, H.c])
        configuration.pools.append(WatchedPool(id: H.b, name: "b", settings: faster))
        await harness.loop.reload(configuration: configuration)
        await harness.loop.settle()
        #expect(harness.sink.kinds(of: H.c) == [.succeeded], "an added pool is polled at once")
        #expect(harness.sink.kinds(of: H.a) == [.started], "a kept pool keeps its state: nothing reported again")
        await harness.advance(by: 61)
        #expect(harness.fetcher.pollTimes(of: H.b) == [0, 60], "a changed cadence takes effect")

        await harness.loop.reload(configuration: H.configuration([H.c]))
        let before = harness.fetcher.pollTimes(of: H.a).count
        await harness.advance(by: 600)
        #expect(harness.fetcher.pollTimes(of: H.a).count == before, "a removed pool is no longer polled")
        let states = await harness.loop.states
        #expect(states.keys.sorted() == [H.c])
    }

    /// A corrected CA bundle or proxy comes with a new fetcher: a pool held back by a lasting
    /// error is polled at once, not at the idle cadence; a healthy pool keeps its schedule.
    @Test func aReloadWithNewAWSSettingsPollsFailingPoolsAtOnce() async {
        let harness = H(configuration: H.configuration([H.a, H.b]), scripts: [
            H.a: [(0, Answer.failure(.lasting, "CertificateUntrusted"))],
            H.b: [(0, Answer.details(.notStarted))],
        ])
        await harness.start()
        await harness.advance(by: 30)
        #expect(harness.sink.kinds(of: H.a) == [.pollFailing])
        let fixed = ScriptedFetcher(clock: harness.scheduler, scripts: [H.a: [(0, Answer.details(.notStarted))], H.b: [(0, Answer.details(.notStarted))]])
        await harness.loop.reload(configuration: H.configuration([H.a, H.b]), fetcher: fixed)
        await harness.loop.settle()
        #expect(fixed.pollTimes(of: H.a) == [0], "polled at the reload")
        #expect(fixed.pollTimes(of: H.b).isEmpty, "a healthy pool waits for its turn")
        #expect(harness.sink.kinds(of: H.a) == [.pollFailing, .pollRecovered])
        // Without new settings a reload leaves the failing pool's schedule alone.
        let again = H(configuration: H.configuration([H.a]), scripts: [H.a: [(0, Answer.failure(.lasting, "CertificateUntrusted"))]])
        await again.start()
        await again.advance(by: 30)
        await again.loop.reload(configuration: H.configuration([H.a]))
        await again.loop.settle()
        #expect(again.fetcher.pollTimes(of: H.a) == [0])
    }

    @Test func aPoolRemovedAndAddedAgainKeepsOnlyItsNewSchedule() async {
        let harness = H(configuration: H.configuration([H.a, H.b]), scripts: [
            H.a: [(0, Answer.details(.notStarted))], H.b: [(0, Answer.details(.notStarted))],
        ])
        await harness.start()
        await harness.advance(by: 10)
        await harness.loop.reload(configuration: H.configuration([H.b]))
        await harness.advance(by: 10)
        await harness.loop.reload(configuration: H.configuration([H.a, H.b]))
        await harness.loop.settle()
        await harness.advance(by: 680)
        // Polled at 0, again when added back at 20, then at the idle cadence: the entry queued
        // for 600 before the removal must not count as one of the new schedule's.
        #expect(harness.fetcher.pollTimes(of: H.a) == [0, 20, 620])
    }

    @Test func shutdownLetsPollsInFlightFinishAndSavesThem() async throws {
        let gated = GatedFetcher(answer: BulkPublishDetails(status: .failed, startTime: Date(timeIntervalSince1970: 1_800_000_000), failureMessage: "x"))
        let store = MemoryStateStore()
        let sink = RecordingSink()
        let loop = WatchLoop(
            configuration: H.configuration([H.a, H.b]), fetcher: gated, sink: sink, store: store,
            notifier: RecordingNotifier(), scheduler: ManualScheduler(), executor: QueueExecutor(queue: .init(label: "t")),
            random: SplitMix(state: 1), logger: H.quiet
        )
        await loop.start()
        await gated.waitForPolls(2)
        async let stopped: Void = loop.stop(gracePeriod: .seconds(3600))
        gated.release()
        await stopped
        #expect(sink.kinds == [.failed, .failed])
        #expect(store.states.count == 2)
    }

    @Test func shutdownCancelsPollsThatOutliveTheGracePeriod() async throws {
        let gated = GatedFetcher(answer: BulkPublishDetails(status: .notStarted))
        let store = MemoryStateStore()
        let loop = WatchLoop(
            configuration: H.configuration([H.a]), fetcher: gated, sink: RecordingSink(), store: store,
            notifier: RecordingNotifier(), scheduler: ManualScheduler(), executor: QueueExecutor(queue: .init(label: "t")),
            random: SplitMix(state: 1), logger: H.quiet
        )
        await loop.start()
        await gated.waitForPolls(1)
        await loop.stop(gracePeriod: .zero)
        let states = await loop.states
        // A cancelled poll says nothing about the pool: no failure is counted or saved.
        #expect(states[H.a]?.failure == nil)
        #expect(store.states[H.a] == nil)
    }
}
