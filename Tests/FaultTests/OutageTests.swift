import DaemonTestSupport
import Model
import Simulator
import Testing

/// A six-hour outage: the loop keeps polling at the backoff ceiling, says once that polling
/// fails and once that it works again, and reports what happened meanwhile.
struct OutageTests {
    static let outage = 100.0..<(100.0 + 6 * 3600)

    @Test func aLongOutageIsReportedOnceAndNothingThatHappenedMeanwhileIsLost() async throws {
        let runner = try Timelines.id(Timelines.runner)
        let steady = try Timelines.id(Timelines.steady)
        let scenario = try Timelines.scenario(
            failsAt: 3000, succeedsAt: 9000,
            faults: [FaultRule(.http503, from: Self.outage.lowerBound, until: Self.outage.upperBound)]
        )
        try await FaultRig.run(scenario) { rig in
            await rig.advance(to: Self.outage.upperBound + 1200)

            // The runner's first poll at 0 s sees NOT_STARTED; its run starts at 100 s, with the
            // outage, so its start is seen only with its end.
            #expect(rig.sink.kinds(of: runner) == [.pollFailing, .pollRecovered, .failed])
            #expect(rig.sink.kinds(of: steady) == [.started, .pollFailing, .pollRecovered, .succeeded])
            #expect(rig.sink.repeatedIdentities.isEmpty)
            let recovered = rig.sink.events.filter { $0.kind == .pollRecovered }
            #expect(recovered.allSatisfy { ($0.duration?.seconds ?? 0) > Self.outage.upperBound - Self.outage.lowerBound - 600 })

            // Never longer than the backoff ceiling between polls, and it gets there.
            let ceiling = FaultRig.settings.errorBackoffMax.seconds
            for pool in [runner, steady] {
                let gaps = rig.fetcher.gaps(of: pool, within: Self.outage)
                #expect(gaps.allSatisfy { $0 >= 1 - 0.001 && $0 <= ceiling + 0.001 })
                #expect(gaps.count >= Int((Self.outage.upperBound - Self.outage.lowerBound) / ceiling) - 1)
                #expect((gaps.max() ?? 0) > ceiling * 0.75)
                #expect(rig.fetcher.pollTimes(of: pool).contains { $0 >= Self.outage.upperBound })
            }
        }
    }
}
