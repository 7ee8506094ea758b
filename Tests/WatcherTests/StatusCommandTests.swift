import Foundation
import Model
import Simulator
import Testing
import ProcessSupport

/// `status` as a process: every field of the response, as a table and as JSON.
struct StatusCommandTests {
    private let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    private static let failed = TestPool.id(201)
    private static let running = TestPool.id(202, region: "eu-west-1")
    private static let idle = TestPool.id(203)
    private static let message = "Unable to write to Kinesis stream 'orders'."

    private static func start() async throws -> SimulatedService {
        try await SimulatedService.start([
            ScenarioPool(id: failed, timeline: [
                TimelineEntry(at: -120, status: .inProgress), TimelineEntry(at: -45, status: .failed, failureMessage: message),
            ]),
            TestPool.scripted(running, [(-30, .inProgress)]),
            TestPool.scripted(idle, [(0, .notStarted)]),
        ])
    }

    @Test func theTableShowsEveryField() async throws {
        let service = try await Self.start()
        defer { Task { await service.shutdown() } }
        let start = service.simulator.startDate

        let output = try await Watcher.run(
            ["status", "--endpoint", service.endpoint, Self.failed.rawValue, Self.running.rawValue, Self.idle.rawValue],
            home: scratch.url, environment: Watcher.demoKeys)
        #expect(output.status == 0, "\(output)")
        let lines = output.stdoutLines
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            == "POOL NAME STATUS STARTED COMPLETED DURATION FAILURE MESSAGE / ERROR")
        let failedRow = try #require(lines.first { $0.hasPrefix(Self.failed.rawValue) })
        for field in ["FAILED", EventText.timestamp(start.addingTimeInterval(-120)), EventText.timestamp(start.addingTimeInterval(-45)), "1m 15s", Self.message] {
            #expect(failedRow.contains(field), "\(field) missing from \(failedRow)")
        }
        let runningRow = try #require(lines.first { $0.hasPrefix(Self.running.rawValue) })
        #expect(runningRow.contains("IN_PROGRESS  \(EventText.timestamp(start.addingTimeInterval(-30)))"), "\(runningRow)")
        let idleRow = try #require(lines.first { $0.hasPrefix(Self.idle.rawValue) })
        #expect(idleRow.contains("NOT_STARTED"), "\(idleRow)")
    }

    @Test func jsonHasEveryFieldOfTheResponse() async throws {
        let service = try await Self.start()
        defer { Task { await service.shutdown() } }
        let start = service.simulator.startDate

        let output = try await Watcher.run(
            ["status", "--json", "--endpoint", service.endpoint, Self.failed.rawValue, Self.running.rawValue],
            home: scratch.url, environment: Watcher.demoKeys)
        #expect(output.status == 0, "\(output)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        let failed = array[0]
        #expect(failed["IdentityPoolId"] as? String == Self.failed.rawValue)
        #expect(failed["Region"] as? String == "us-east-1")
        #expect(failed["BulkPublishStatus"] as? String == "FAILED")
        #expect(failed["BulkPublishStartTime"] as? String == EventText.timestamp(start.addingTimeInterval(-120)))
        #expect(failed["BulkPublishCompleteTime"] as? String == EventText.timestamp(start.addingTimeInterval(-45)))
        let epoch = try #require(failed["BulkPublishStartTimeEpoch"] as? Double)
        #expect(abs(epoch - start.addingTimeInterval(-120).timeIntervalSince1970) < 0.001)
        #expect(failed["BulkPublishCompleteTimeEpoch"] is Double)
        #expect(failed["FailureMessage"] as? String == Self.message)
        let running = array[1]
        #expect(running["Region"] as? String == "eu-west-1")
        #expect(running["BulkPublishStatus"] as? String == "IN_PROGRESS")
        #expect(running["BulkPublishCompleteTime"] == nil)
    }

    @Test func aPoolThatDoesNotExistExitsThreeWithTheErrorInItsRow() async throws {
        let service = try await Self.start()
        defer { Task { await service.shutdown() } }

        let missing = TestPool.id(299)
        let output = try await Watcher.run(
            ["status", "--json", "--endpoint", service.endpoint, Self.idle.rawValue, missing.rawValue],
            home: scratch.url, environment: Watcher.demoKeys)
        #expect(output.status == 3, "\(output)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        let error = try #require(array.last?["Error"] as? [String: Any])
        #expect(error["Code"] as? String == "ResourceNotFoundException")
        #expect(error["Lasting"] as? Bool == true)
        #expect(error["RequestId"] is String)
    }
}
