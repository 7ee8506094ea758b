import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import Foundation
import InMemoryLogging
import Logging
import Simulator
import Synchronization
import Testing

/// A machine whose clock is minutes off: the simulator refuses the signing time as AWS does,
/// the client learns the service's time from the answer's `Date`, says by how much its clock is
/// off, and signs with the corrected time from then on.
struct ClockSkewTests {
    typealias Harness = SimulatorBackedClient

    /// The client's clock: the service's, moved by an offset the test changes.
    final class SkewedClock: Sendable {
        let offset = Mutex<TimeInterval>(0)
        func now(_ service: ManualClock) -> Date { service.now().addingTimeInterval(offset.withLock { $0 }) }
    }

    @Test(arguments: [(-600.0, "10m behind AWS's"), (900.0, "15m ahead of AWS's")])
    func theSigningTimeIsCorrectedByTheServicesClock(offset: TimeInterval, phrase: String) async throws {
        let clock = SkewedClock()
        clock.offset.withLock { $0 = offset }
        let log = InMemoryLogHandler()
        try await Harness.run(clientClock: { clock.now($0) }, logger: Logger(label: "test") { _ in log }) { harness in
            _ = try await harness.details(Harness.succeeding)
            let answers = harness.simulator.requestLog.recent.map(\.status)
            #expect(answers == [403, 200], "refused once for its time, then accepted: \(answers)")
            #expect(harness.sleeps.all.isEmpty, "the corrected retry does not wait")
            let warnings = log.entries.filter { $0.level == .warning }.map { "\($0.message)" }
            #expect(warnings.count == 1, "\(warnings)")
            #expect(warnings.first?.contains("this machine's clock is \(phrase)") == true, "\(warnings)")
            #expect(warnings.first?.contains("answered InvalidSignatureException") == true, "\(warnings)")
            #expect(warnings.first?.contains("set this machine's clock right") == true, "\(warnings)")

            // From now on the corrected time is used: no more refusals, no more warnings.
            _ = try await harness.details(Harness.succeeding)
            #expect(harness.simulator.requestLog.recent.map(\.status) == [403, 200, 200])

            // The clock set right: one refusal, and the correction is dropped.
            clock.offset.withLock { $0 = 0 }
            _ = try await harness.details(Harness.succeeding)
            #expect(harness.simulator.requestLog.recent.map(\.status) == [403, 200, 200, 403, 200])
            #expect(log.entries.contains { $0.level == .notice && "\($0.message)".contains("agrees with AWS's again") })
            _ = try await harness.details(Harness.succeeding)
            #expect(harness.simulator.requestLog.recent.map(\.status).last == 200)
            #expect(log.entries.filter { $0.level == .warning }.count == 1)
        }
    }

    /// A skew AWS accepts (under 4 minutes) changes nothing, and a refusal that is not about the
    /// time (a wrong secret) is not taken for one.
    @Test func onlyASkewThatExplainsTheRefusalIsCorrected() async throws {
        let wrongSecret = AWSCredentials(accessKeyID: Harness.demoKeys.accessKeyID, secretAccessKey: "not-the-secret")
        let log = InMemoryLogHandler()
        try await Harness.run(credentials: wrongSecret, clientClock: { $0.now().addingTimeInterval(-120) }, logger: Logger(label: "test") { _ in log }) { harness in
            let failure = await harness.failure(Harness.succeeding)
            #expect(failure?.code == "InvalidSignatureException")
            #expect(log.entries.allSatisfy { !"\($0.message)".contains("clock") }, "\(log.entries)")
        }
    }
}
