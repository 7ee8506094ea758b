import DaemonTestSupport
import Model
import Simulator
import Testing

/// Steps of the daemon's wall clock (an NTP correction, a wrong manual setting). The schedule
/// runs on the monotonic clock and is not disturbed; signatures carry the wall-clock time, so a
/// step beyond AWS's five-minute tolerance gets a request refused, and the client then signs
/// with the service's time (from the refusal's `Date`) until the clock is right again.
struct ClockJumpTests {
    @Test(arguments: [2.0 * 3600, -2.0 * 3600])
    func aWallClockFarOffIsCorrectedAndNothingIsLost(_ step: Double) async throws {
        let runner = try Timelines.id(Timelines.runner)
        let steady = try Timelines.id(Timelines.steady)
        try await FaultRig.run(try Timelines.scenario()) { rig in
            await rig.advance(to: 200)
            rig.scheduler.jumpWallClock(by: step)
            await rig.advance(to: 1000)
            rig.scheduler.jumpWallClock(by: -step)
            await rig.advance(to: 1600)

            #expect(rig.sink.kinds(of: runner) == [.started, .failed])
            #expect(rig.sink.kinds(of: steady) == [.started, .succeeded])
            #expect(rig.sink.repeatedIdentities.isEmpty)
            #expect(rig.fetcher.polls(of: runner).allSatisfy { $0.failure == nil }, "every poll succeeded, the refused attempts corrected")
            // Each step cost a refusal for the polls in flight when it came, no more.
            let refused = rig.simulator.requestLog.recent.filter { $0.status == 403 }.count
            #expect((2...16).contains(refused), "\(refused) requests refused")
        }
    }

    @Test func stepsWithinTheSigningToleranceChangeNothing() async throws {
        let runner = try Timelines.id(Timelines.runner)
        let steady = try Timelines.id(Timelines.steady)
        try await FaultRig.run(try Timelines.scenario()) { rig in
            for (at, step) in [(150.0, 240.0), (250.0, -480.0), (330.0, 240.0), (380.0, -200.0)] {
                await rig.advance(to: at)
                rig.scheduler.jumpWallClock(by: step)
            }
            await rig.advance(to: 1200)

            #expect(rig.sink.kinds(of: runner) == [.started, .failed])
            #expect(rig.sink.kinds(of: steady) == [.started, .succeeded])
            #expect(rig.fetcher.polls(of: runner).allSatisfy { $0.failure == nil })
            // The IN_PROGRESS cadence held through every step: the schedule is monotonic.
            let inProgress = FaultRig.settings.inProgressInterval.seconds
            let gaps = rig.fetcher.gaps(of: runner, within: 120..<400)
            #expect(gaps.count >= 8)
            #expect(gaps.allSatisfy { $0 >= inProgress * (1 - FaultRig.settings.jitter) - 0.001 && $0 <= inProgress + 0.001 })
        }
    }
}
