import DaemonTestSupport
import AWSSigning
import Model
import Simulator
import Testing

/// Temporary credentials that expire in the middle of a run, as the service sees them: it
/// answers `ExpiredTokenException` from then on.
struct ExpiredCredentialTests {
    static let expiring = ScenarioCredential(
        accessKeyID: "AKIDEXPIRING00000000", secretAccessKey: "expiring-test-secret-access-key-00000000",
        expiresAfterSeconds: 250
    )
    static let fresh = ScenarioCredential(
        accessKeyID: "AKIDFRESH00000000000", secretAccessKey: "fresh-test-secret-access-key-0000000000"
    )

    static func keys(_ credential: ScenarioCredential) -> AWSCredentials {
        AWSCredentials(accessKeyID: credential.accessKeyID, secretAccessKey: credential.secretAccessKey)
    }

    @Test func keysThatExpireMidRunAreReplacedWithoutAnyPollFailing() async throws {
        let source = RotatingCredentials(first: Self.keys(Self.expiring), second: Self.keys(Self.fresh), rotatesAfterFirstFetch: true)
        let scenario = try Timelines.scenario(credentials: [Self.expiring, Self.fresh])
        let runner = try Timelines.id(Timelines.runner)
        let steady = try Timelines.id(Timelines.steady)
        try await FaultRig.run(scenario, credentials: source) { rig in
            await rig.advance(to: 1200)

            #expect(rig.sink.kinds(of: runner) == [.started, .failed])
            #expect(rig.sink.kinds(of: steady) == [.started, .succeeded])
            // The service did refuse the old keys, and the client fetched new ones once.
            #expect((rig.simulator.requestLog.byOutcome["403 ExpiredTokenException"] ?? 0) >= 1)
            // Both pools may meet the expired keys at once; each fetches at most once.
            #expect((2...3).contains(source.fetches))
            #expect(rig.simulator.requestLog.recent.last?.accessKeyId == Self.fresh.accessKeyID)
        }
    }

    @Test func keysThatStayExpiredAreReportedOnceAndRecoveryFollowsTheirReplacement() async throws {
        let source = RotatingCredentials(first: Self.keys(Self.expiring), second: Self.keys(Self.fresh), rotatesAfterFirstFetch: false)
        let scenario = try Timelines.scenario(credentials: [Self.expiring, Self.fresh])
        let runner = try Timelines.id(Timelines.runner)
        let steady = try Timelines.id(Timelines.steady)
        try await FaultRig.run(scenario, credentials: source) { rig in
            await rig.advance(to: 900)
            source.rotate()
            await rig.advance(to: 1500)

            #expect(rig.sink.kinds(of: runner) == [.started, .pollFailing, .pollRecovered, .failed])
            #expect(rig.sink.kinds(of: steady) == [.started, .pollFailing, .pollRecovered, .succeeded])
            let failing = rig.sink.events.filter { $0.kind == .pollFailing }
            #expect(failing.allSatisfy { $0.errorCode == "ExpiredTokenException" })
            // An error that needs someone to act is retried at the idle cadence, not faster.
            let gaps = rig.fetcher.gaps(of: runner, within: 300..<900)
            #expect(!gaps.isEmpty)
            #expect(gaps.allSatisfy { $0 >= FaultRig.settings.idleInterval.seconds * (1 - FaultRig.settings.jitter) - 0.001 })
            #expect(rig.sink.repeatedIdentities.isEmpty)
        }
    }
}
