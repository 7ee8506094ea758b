#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Model
import Simulator
import Testing
import ProcessSupport

/// `wait` run as a process against the simulator: every exit path, the progress lines, JSON.
struct WaitCommandTests {
    private let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    private func startWait(_ arguments: [String], against service: SimulatedService) throws -> ChildProcess {
        try Watcher.startWait(arguments, against: service, home: scratch.url)
    }

    /// Runs `wait` to the end.
    private func wait(_ arguments: [String], against service: SimulatedService) async throws -> ChildProcess.Output {
        try await startWait(arguments, against: service).finish()
    }

    private static let kinesisFailure = "Unable to write to Kinesis stream 'orders': the role cannot put records."

    // MARK: - 0: SUCCEEDED

    @Test func exitsZeroWhenTheRunSucceedsShowingEachChangeWithTheElapsedTime() async throws {
        let pool = TestPool.id(1)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(0, .inProgress), (1.5, .succeeded)])])
        defer { Task { await service.shutdown() } }

        let child = try startWait([pool.rawValue], against: service)
        #expect(await child.waitForStderr(containing: "IN_PROGRESS") != nil, "\(child.output)")
        service.advance(to: 2)
        let output = await child.finish()
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.isEmpty)
        #expect(output.progressLines == [
            "\(pool): IN_PROGRESS (started \(service.time(0)))",
            "\(pool): SUCCEEDED after 1.5s (started \(service.time(0)))",
        ], "\(output)")
        for line in output.stderrLines {
            #expect(line.range(of: #"^\[[0-9]+s\] "#, options: .regularExpression) != nil, "no elapsed time: \(line)")
        }
    }

    @Test func aRunThatHasAlreadyFinishedIsReportedAtOnce() async throws {
        let pool = TestPool.id(2)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(-60, .inProgress), (-30, .succeeded)])])
        defer { Task { await service.shutdown() } }

        let output = try await wait([pool.rawValue], against: service)
        #expect(output.status == 0, "\(output)")
        #expect(output.progressLines == ["\(pool): SUCCEEDED after 30s (started \(service.time(-60)))"], "\(output)")
        #expect(service.simulator.requestLog.total == 1)
    }

    /// A duration past what any clock holds is "for ever", not a crash.
    @Test func aTimeoutAndIntervalBeyondAnyClockAreForEver() async throws {
        let pool = TestPool.id(2)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(-60, .inProgress), (-30, .succeeded)])])
        defer { Task { await service.shutdown() } }

        let output = try await wait(["--timeout", "1e300", "--interval", "1e300d", pool.rawValue], against: service)
        #expect(output.status == 0, "\(output)")
        #expect(output.progressLines == ["\(pool): SUCCEEDED after 30s (started \(service.time(-60)))"], "\(output)")
    }

    @Test func notStartedIsWaitedOnWithALineSayingNoBulkPublishWasRequested() async throws {
        let pool = TestPool.id(3)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(0, .notStarted), (1, .inProgress), (2, .succeeded)])])
        defer { Task { await service.shutdown() } }

        let child = try startWait([pool.rawValue], against: service)
        #expect(await child.waitForStderr(containing: "NOT_STARTED") != nil, "\(child.output)")
        service.advance(to: 1)
        #expect(await child.waitForStderr(containing: "IN_PROGRESS (started") != nil, "\(child.output)")
        service.advance(to: 2)
        let output = await child.finish()
        #expect(output.status == 0, "\(output)")
        #expect(output.progressLines == [
            "\(pool): NOT_STARTED: no bulk publish has been requested yet; waiting for one to start",
            "\(pool): IN_PROGRESS (started \(service.time(1)))",
            "\(pool): SUCCEEDED after 1s (started \(service.time(1)))",
        ], "\(output)")
    }

    // MARK: - 1: FAILED

    @Test func exitsOneWhenTheRunFailsWithTheFailureMessageOnStderr() async throws {
        let pool = TestPool.id(4)
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, [(-60, .inProgress), (-1, .failed)], failureMessage: Self.kinesisFailure),
        ])
        defer { Task { await service.shutdown() } }

        let output = try await wait([pool.rawValue], against: service)
        #expect(output.status == 1, "\(output)")
        #expect(output.progressLines.first == "\(pool): FAILED after 59s (started \(service.time(-60))): \(Self.kinesisFailure)")
        let error = try #require(output.stderrLines.last)
        #expect(error.hasPrefix("error: the bulk publish of \(pool) FAILED"), "\(output)")
        #expect(error.hasSuffix(": \(Self.kinesisFailure)"), "\(output)")
    }

    @Test func quietLeavesOnlyTheVerdict() async throws {
        let pool = TestPool.id(5)
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, [(-60, .inProgress), (-1, .failed)], failureMessage: Self.kinesisFailure),
        ])
        defer { Task { await service.shutdown() } }

        let output = try await wait(["--quiet", pool.rawValue], against: service)
        #expect(output.status == 1, "\(output)")
        #expect(output.stdout.isEmpty)
        #expect(output.stderrLines.count == 1, "\(output)")
        #expect(output.stderr.hasPrefix("error: ") && output.stderr.contains(Self.kinesisFailure), "\(output)")
    }

    // MARK: - 2: usage

    @Test(arguments: [
        (["wait", "not-a-pool"], "is not an identity pool id"),
        (["wait", "--timeout", "soon", "us-east-1:0000aaaa-1111-4222-8333-000000000001"], "'soon' is not a duration for --timeout"),
        (["wait", "--interval", "0.5", "us-east-1:0000aaaa-1111-4222-8333-000000000001"], "--interval must be at least 1 second"),
        (["wait", "--new-run", "--since", "0", "us-east-1:0000aaaa-1111-4222-8333-000000000001"], "pass one of them"),
        (["wait", "--since", "yesterday", "us-east-1:0000aaaa-1111-4222-8333-000000000001"], "'yesterday' is not a time"),
        (["wait", "--region", "Mars", "us-east-1:0000aaaa-1111-4222-8333-000000000001"], "is not an AWS region name"),
        (["wait", "--frobnicate"], "Unknown option '--frobnicate'"),
        (["wait"], "no pool given and no usable configuration"),
    ])
    func usageErrorsExitTwoWithOneSentence(arguments: [String], message: String) async throws {
        let output = try await Watcher.run(arguments, home: scratch.url, environment: ["CONFIGURATION_DIRECTORY": scratch.url.path])
        #expect(output.status == 2, "\(output)")
        #expect(output.stdout.isEmpty)
        #expect(output.stderrLines.count == 1, "\(output)")
        #expect(output.stderr.hasPrefix("error: "), "\(output)")
        #expect(output.stderr.contains(message), "\(output)")
    }

    @Test func parserErrorsPointAtTheCommandsHelp() async throws {
        let output = try await Watcher.run(["wait", "--frobnicate"], home: scratch.url)
        #expect(output.stderr == "error: Unknown option '--frobnicate'; see 'cognito-sync-watcher wait --help' for usage.\n")
    }

    // MARK: - 3: errors waiting cannot fix

    @Test func anUnknownPoolExitsThreeSayingWhatToCheck() async throws {
        let service = try await SimulatedService.start([TestPool.scripted(TestPool.id(6), [(0, .inProgress)])])
        defer { Task { await service.shutdown() } }

        let unknown = TestPool.id(999)
        let output = try await wait([unknown.rawValue], against: service)
        #expect(output.status == 3, "\(output)")
        let error = try #require(output.stderrLines.last)
        #expect(error.hasPrefix("error: cannot wait for \(unknown): ResourceNotFoundException:"), "\(output)")
        #expect(error.hasSuffix("check the pool id and its region (the id's prefix, or --region)"), "\(output)")
    }

    @Test func notAuthorizedExitsThree() async throws {
        let pool = TestPool.id(7)
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, [(0, .inProgress)], faults: [FaultRule(.notAuthorized)]),
        ])
        defer { Task { await service.shutdown() } }

        let output = try await wait([pool.rawValue], against: service)
        #expect(output.status == 3, "\(output)")
        #expect(output.stderr.contains("NotAuthorizedException"), "\(output)")
        #expect(output.stderr.contains("allow these credentials cognito-sync:GetBulkPublishDetails"), "\(output)")
    }

    @Test func missingCredentialsExitThree() async throws {
        let pool = TestPool.id(8)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(0, .inProgress)])])
        defer { Task { await service.shutdown() } }

        let output = try await Watcher.run(["wait", "--endpoint", service.endpoint, pool.rawValue], home: scratch.url)
        #expect(output.status == 3, "\(output)")
        #expect(output.stderr.contains("error: cannot wait for \(pool): NoCredentials"), "\(output)")
        #expect(service.simulator.requestLog.total == 0)
    }

    // MARK: - 124 and 130

    @Test func exitsOneHundredTwentyFourWhenTheTimeoutRunsOut() async throws {
        let pool = TestPool.id(9)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(-5, .inProgress)])])
        defer { Task { await service.shutdown() } }

        // Long enough for the first answer on a machine busy with the rest of the suite.
        let output = try await wait(["--timeout", "6.5s", pool.rawValue], against: service)
        #expect(output.status == 124, "\(output)")
        #expect(output.progressLines.dropLast().last == "\(pool): still waiting when the time ran out; last seen: IN_PROGRESS (started \(service.time(-5)))", "\(output)")
        #expect(output.stderrLines.last == "error: timed out after 6.5s waiting for \(pool); last seen: IN_PROGRESS (started \(service.time(-5))); raise --timeout to wait longer", "\(output)")
    }

    @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")])
    func aSignalEndsTheWaitPromptlyWithOneHundredThirty(signal: Int32, name: String) async throws {
        let pool = TestPool.id(10)
        let service = try await SimulatedService.start([TestPool.scripted(pool, [(-5, .inProgress)])])
        defer { Task { await service.shutdown() } }

        let child = try startWait([pool.rawValue], against: service)
        #expect(await child.waitForStderr(containing: "IN_PROGRESS") != nil, "\(child.output)")
        let sent = ContinuousClock.now
        child.send(signal)
        let output = await child.finish(timeout: .seconds(10))
        #expect(sent.duration(to: .now) < .seconds(3), "took \(sent.duration(to: .now)) to stop")
        #expect(output.status == 130, "\(output)")
        #expect(output.stderrLines.last == "error: interrupted by \(name) while 1 pool was still waiting; nothing was changed at the service")
    }

    // MARK: - Transient errors

    @Test(arguments: [FaultKind.http503, .throttle429])
    func transientErrorsAreRiddenOut(fault: FaultKind) async throws {
        let pool = TestPool.id(11)
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, [(-10, .inProgress), (1, .succeeded)], faults: [FaultRule(fault, from: -60, until: 1)]),
        ])
        defer { Task { await service.shutdown() } }

        let child = try startWait([pool.rawValue], against: service)
        // Every attempt fails until the test ends the outage; wait must say so and go on.
        #expect(await child.waitForStderr(containing: "retrying with backoff") != nil, "\(child.output)")
        #expect(child.output.status == nil)
        service.advance(to: 2)
        let output = await child.finish()
        #expect(output.status == 0, "\(output)")
        let code = fault == .http503 ? "ServiceUnavailable" : "TooManyRequestsException"
        #expect(output.progressLines.first?.hasPrefix("\(pool): GetBulkPublishDetails failed (\(code): ") == true, "\(output)")
        #expect(output.progressLines.filter { $0.hasSuffix("retrying with backoff") }.count == 1, "\(output)")
        #expect(output.progressLines.last == "\(pool): SUCCEEDED after 11s (started \(service.time(-10)))", "\(output)")
        #expect(service.answers(fault == .http503 ? 503 : 429, for: pool) >= 3)
    }

    // MARK: - JSON

    @Test func jsonPrintsOneObjectPerChange() async throws {
        let pool = TestPool.id(12)
        let service = try await SimulatedService.start([
            TestPool.scripted(pool, name: "orders", [(0, .notStarted), (1, .inProgress), (2, .failed)], failureMessage: Self.kinesisFailure),
        ])
        defer { Task { await service.shutdown() } }

        let child = try startWait(["--json", pool.rawValue], against: service)
        #expect(await child.wait(timeout: .seconds(15)) { $0.stdout.contains("waitingForFirstRun") } != nil, "\(child.output)")
        service.advance(to: 1)
        #expect(await child.wait(timeout: .seconds(15)) { $0.stdout.contains("\"inProgress\"") } != nil, "\(child.output)")
        service.advance(to: 2)
        let output = await child.finish()
        #expect(output.status == 1, "\(output)")
        let objects = try output.stdoutLines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        #expect(objects.compactMap { $0["event"] as? String } == ["waitingForFirstRun", "inProgress", "failed"], "\(output)")
        for object in objects {
            #expect(object["pool"] as? String == pool.rawValue)
            #expect(object["region"] as? String == "us-east-1")
            #expect(object["elapsedSeconds"] is Double || object["elapsedSeconds"] is Int)
            #expect((object["message"] as? String)?.isEmpty == false)
            #expect(object["time"] is String)
        }
        #expect(objects.map { $0["final"] as? Bool } == [false, false, true])
        #expect(objects[0]["status"] as? String == "NOT_STARTED")
        #expect(objects[1]["startTime"] as? String == service.time(1))
        let last = try #require(objects.last)
        #expect(last["exitStatus"] as? Int == 1)
        #expect(last["status"] as? String == "FAILED")
        #expect(last["failureMessage"] as? String == Self.kinesisFailure)
        #expect(last["startTime"] as? String == service.time(1))
        #expect(last["completeTime"] as? String == service.time(2))
        // Progress still goes to stderr, one line per change.
        #expect(output.stderrLines.filter { $0.hasPrefix("[") }.count == 3, "\(output)")
    }

    // MARK: - Several pools

    @Test func severalPoolsExitWithTheWorstOutcome() async throws {
        let succeeding = TestPool.id(13), failing = TestPool.id(14), unknown = TestPool.id(998)
        let service = try await SimulatedService.start([
            TestPool.scripted(succeeding, [(-10, .inProgress), (-5, .succeeded)]),
            TestPool.scripted(failing, [(-10, .inProgress), (-5, .failed)], failureMessage: Self.kinesisFailure),
        ])
        defer { Task { await service.shutdown() } }

        let output = try await wait([succeeding.rawValue, failing.rawValue, unknown.rawValue], against: service)
        #expect(output.status == 3, "\(output)")
        let errors = output.stderrLines.filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 2, "\(output)")
        #expect(errors.first?.contains("\(failing) FAILED") == true, "\(output)")
        #expect(errors.last?.contains("cannot wait for \(unknown)") == true, "\(output)")
        #expect(output.progressLines.contains("\(succeeding): SUCCEEDED after 5s (started \(service.time(-10)))"), "\(output)")
    }

    @Test func withoutTheWorstAFailureDecides() async throws {
        let succeeding = TestPool.id(15), failing = TestPool.id(16)
        let service = try await SimulatedService.start([
            TestPool.scripted(succeeding, [(-10, .inProgress), (-5, .succeeded)]),
            TestPool.scripted(failing, [(-10, .inProgress), (-5, .failed)], failureMessage: Self.kinesisFailure),
        ])
        defer { Task { await service.shutdown() } }

        let output = try await wait([succeeding.rawValue, failing.rawValue], against: service)
        #expect(output.status == 1, "\(output)")
    }
}
