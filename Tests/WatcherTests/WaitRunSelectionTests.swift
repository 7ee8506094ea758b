import Foundation
import Model
import Simulator
import Testing
import ProcessSupport

/// Which run `wait` waits for: `--start`, `--new-run` and `--since`, run as a process.
struct WaitRunSelectionTests {
    private let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    private func startWait(_ arguments: [String], against service: SimulatedService) throws -> ChildProcess {
        try Watcher.startWait(arguments, against: service, home: scratch.url)
    }

    // MARK: - --start

    @Test func startCallsBulkPublishAndWaitsForTheRunItStarted() async throws {
        let pool = TestPool.id(101)
        // The last run FAILED an hour ago: --start must not return on it.
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, [(-3600, .inProgress), (-3500, .failed)], failureMessage: "old failure",
                              bulkPublish: BulkPublishBehaviour(durationSeconds: 1.5, outcome: .succeeded)),
        ])
        defer { Task { await service.shutdown() } }

        let child = try startWait(["--start", pool.rawValue], against: service)
        #expect(await child.waitForStderr(containing: "IN_PROGRESS") != nil, "\(child.output)")
        service.advance(to: 2)
        let output = await child.finish()
        #expect(output.status == 0, "\(output)")
        #expect(output.progressLines == [
            "\(pool): BulkPublish accepted: a new run is starting",
            "\(pool): IN_PROGRESS (started \(service.time(0)))",
            "\(pool): SUCCEEDED after 1.5s (started \(service.time(0)))",
        ], "\(output)")
        #expect(service.answers(200, for: pool, operation: "BulkPublish") == 1)
    }

    @Test func startWithARunInProgressWaitsForThatRun() async throws {
        let pool = TestPool.id(102)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(-10, .inProgress), (1.5, .succeeded)])])
        defer { Task { await service.shutdown() } }

        let child = try startWait(["--start", pool.rawValue], against: service)
        #expect(await child.waitForStderr(containing: "IN_PROGRESS (started") != nil, "\(child.output)")
        service.advance(to: 2)
        let output = await child.finish()
        #expect(output.status == 0, "\(output)")
        #expect(output.progressLines == [
            "\(pool): a bulk publish is already in progress (DuplicateRequestException); waiting for it",
            "\(pool): IN_PROGRESS (started \(service.time(-10)))",
            "\(pool): SUCCEEDED after 12s (started \(service.time(-10)))",
        ], "\(output)")
        #expect(service.answers(400, for: pool, operation: "BulkPublish") == 1)
    }

    @Test func startRefusedBecauseARunSucceededTodayExitsFour() async throws {
        let pool = TestPool.id(103)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(-600, .inProgress), (-60, .succeeded)])])
        defer { Task { await service.shutdown() } }

        let output = try await startWait(["--start", pool.rawValue], against: service).finish()
        #expect(output.status == 4, "\(output)")
        let error = try #require(output.stderrLines.last)
        #expect(error.hasPrefix("error: BulkPublish refused for \(pool): a run already SUCCEEDED in the last 24 hours (AlreadyStreamedException: "), "\(output)")
        #expect(error.hasSuffix("run wait without --start to see that run, or start again 24 hours after it"), "\(output)")
    }

    // MARK: - --new-run

    @Test func newRunWaitsPastAnOldResultThatPlainWaitReturnsAtOnce() async throws {
        let pool = TestPool.id(104)
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, [(-100, .inProgress), (-50, .failed), (1, .inProgress), (2, .succeeded)], failureMessage: "old failure"),
        ])
        defer { Task { await service.shutdown() } }

        let plain = try await startWait([pool.rawValue], against: service).finish()
        #expect(plain.status == 1, "\(plain)")
        #expect(plain.stderr.contains("old failure"))

        let child = try startWait(["--new-run", pool.rawValue], against: service)
        #expect(await child.waitForStderr(containing: "waiting for a new run") != nil, "\(child.output)")
        service.advance(to: 1)
        #expect(await child.waitForStderr(containing: "IN_PROGRESS (started") != nil, "\(child.output)")
        service.advance(to: 2)
        let output = await child.finish()
        #expect(output.status == 0, "\(output)")
        #expect(output.progressLines == [
            "\(pool): the latest run (FAILED, started \(service.time(-100))) is from before this wait; waiting for a new run",
            "\(pool): IN_PROGRESS (started \(service.time(1)))",
            "\(pool): SUCCEEDED after 1s (started \(service.time(1)))",
        ], "\(output)")
    }

    // MARK: - --since

    @Test(arguments: ["iso8601", "epoch"])
    func sinceCountsOnlyRunsStartedAtOrAfterIt(format: String) async throws {
        let pool = TestPool.id(105)
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, [(-30, .inProgress), (-20, .succeeded), (1.5, .inProgress), (2.5, .succeeded)]),
        ])
        defer { Task { await service.shutdown() } }

        let since = service.startDate.addingTimeInterval(1)
        let argument = format == "epoch"
            ? String(since.timeIntervalSince1970)
            : since.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let child = try startWait(["--since", argument, pool.rawValue], against: service)
        #expect(await child.waitForStderr(containing: "waiting for a run that starts at or after it") != nil, "\(child.output)")
        service.advance(to: 3)
        let output = await child.finish()
        #expect(output.status == 0, "\(output)")
        #expect(output.progressLines == [
            "\(pool): the latest run (SUCCEEDED, started \(service.time(-30))) started before \(EventText.timestamp(since)); waiting for a run that starts at or after it",
            "\(pool): SUCCEEDED after 1s (started \(service.time(1.5)))",
        ], "\(output)")
    }
}
