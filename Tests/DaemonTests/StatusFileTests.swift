import DaemonTestSupport
import Daemon
import Foundation
import Model
import Synchronization
import Testing
import ProcessSupport

/// The daemon's status file: the loop's snapshot on a manual clock, the writer's file, and the
/// store that tells it about changes.
struct StatusFileTests {
    typealias H = LoopHarness

    @Test func theSnapshotHasEachPoolsStateAndNextPollOnTheWallClock() async throws {
        let harness = H(configuration: H.configuration([H.b, H.a]), scripts: [
            H.a: [(0, Answer.details(.succeeded, start: -100, complete: -50))],
            H.b: [(0, Answer.failure(.lasting, "NotAuthorizedException"))],
        ])
        await harness.start()
        let views = await harness.loop.snapshot()
        #expect(views.map(\.id) == [H.b, H.a], "the configuration's order")
        let wall = harness.scheduler.wallNow()
        let a = try #require(views.last)
        #expect(a.status == .succeeded && a.name == "pool-9b10" && a.region == "us-east-1")
        #expect(a.runStartTime == Date(timeIntervalSince1970: Answer.epoch - 100))
        #expect(a.runCompleteTime == Date(timeIntervalSince1970: Answer.epoch - 50))
        #expect(a.lastSuccessfulPoll == wall && a.lastError == nil && !a.polling)
        #expect(a.nextPoll == wall.addingTimeInterval(300), "the finished cadence, on the wall clock")
        let b = try #require(views.first)
        #expect(b.status == nil && b.lastSuccessfulPoll == nil)
        #expect(b.lastError?.code == "NotAuthorizedException" && b.lastError?.consecutiveFailures == 1 && b.lastError?.reported == true)
        #expect(b.nextPoll == wall.addingTimeInterval(600), "a lasting error: the idle cadence")

        await harness.advance(by: 100)
        let later = await harness.loop.snapshot()
        #expect(later.last?.nextPoll == wall.addingTimeInterval(300), "the same due time, seen 100 s later")
    }

    @Test func everySaveSignalsAChangeEvenOneThatFails() throws {
        let base = MemoryStateStore()
        let changes = Mutex(0)
        let store = ChangeSignallingStateStore(base) { changes.withLock { $0 += 1 } }
        try store.save(PoolState(lastStatus: .failed), for: H.a)
        base.fail(true)
        #expect(throws: MemoryStateStore.DiskFull.self) { try store.save(PoolState(), for: H.a) }
        #expect(changes.withLock { $0 } == 2)
        #expect(store.loadAll().states[H.a]?.lastStatus == .failed)
    }

    @Test func theWriterWritesAtStartAndMarksTheLastViewStopped() async throws {
        let directory = try ScratchDirectory()
        let file = directory.url.appendingPathComponent("run/status.json")
        let pools = Mutex([PoolView(id: H.a, region: "us-east-1", status: .inProgress)])
        let writer = DaemonViewWriter(file: file, logger: H.quiet)
        await writer.start { pools.withLock { $0 } }
        let first = try DaemonView.decode(Data(contentsOf: file))
        #expect(first.pools.map(\.status) == [.inProgress])
        #expect(first.stoppedAt == nil && first.pid == getpid() && first.refreshSeconds == 30)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)

        pools.withLock { $0[0].status = .failed }
        await writer.stop()
        let last = try DaemonView.decode(Data(contentsOf: file))
        #expect(last.stoppedAt != nil)
        #expect(last.pools.map(\.status) == [.failed], "the stop writes what the loop shows then")
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["status.json"])
    }

    @Test func aFolderThatCannotBeWrittenDoesNotStopTheDaemon() async throws {
        let directory = try ScratchDirectory()
        // A regular file where the folder should be: nothing can be created below it.
        let blocker = directory.url.appendingPathComponent("not-a-folder")
        try Data().write(to: blocker)
        let writer = DaemonViewWriter(file: blocker.appendingPathComponent("status.json"), logger: H.quiet)
        await writer.start { [] }
        await writer.stop()
        #expect(!FileManager.default.fileExists(atPath: blocker.appendingPathComponent("status.json").path))
    }

    @Test func theDaemonWritesWhereSystemdOrTheConfigurationSays() {
        let state = URL(fileURLWithPath: "/var/lib/x", isDirectory: true)
        #expect(DaemonViewLocation.daemonFile(configured: "/srv/run", environment: ["RUNTIME_DIRECTORY": "/run/csw:/run/other"], stateDirectory: state).path
            == "/run/csw/status.json")
        #expect(DaemonViewLocation.daemonFile(configured: "/srv/run", environment: [:], stateDirectory: state).path == "/srv/run/status.json")
        #expect(DaemonViewLocation.daemonFile(configured: nil, environment: [:], stateDirectory: state).path == "/var/lib/x/status.json")
        #expect(DaemonViewLocation.candidates(for: nil).map(\.path)
            == ["/run/cognito-sync-watcher/status.json", "/var/lib/cognito-sync-watcher/status.json"])
        #expect(DaemonViewLocation.candidates(for: WatcherConfiguration(runtimeDirectory: "/run/cognito-sync-watcher", pools: [])).map(\.path)
            == ["/run/cognito-sync-watcher/status.json"])
    }
}
