import Foundation
import Testing
@testable import Model

/// `run --baseline`: a pool never seen before takes its first answer as known.
struct BaselineTests {
    private func run(_ steps: [Step], baseline: Bool, restoring state: PoolState? = nil) -> (kinds: [WatchEvent.Kind], machine: PoolStateMachine) {
        var machine = PoolStateMachine(pool: Fixture.pool(), restoring: state, baseline: baseline)
        let kinds = steps.flatMap { $0.apply(to: &machine) }.map(\.kind)
        return (kinds, machine)
    }

    @Test(arguments: [BulkPublishStatus.succeeded, .failed])
    func aRunFinishedBeforeTheFirstPollIsRecordedNotReported(_ status: BulkPublishStatus) {
        let steps: [Step] = [.details(at: 0, status, start: -7200, complete: -3600, failure: "old")]
        let baselined = run(steps, baseline: true)
        #expect(baselined.kinds.isEmpty)
        #expect(baselined.machine.state.run?.reported == [.started, .finished(status)])
        #expect(baselined.machine.state.lastStatus == status)
        // Without the flag the same answer is news, as it always was.
        #expect(run(steps, baseline: false).kinds == [status == .succeeded ? .succeeded : .failed])
    }

    @Test func onlyTheFirstAnswerIsTakenAsKnown() {
        let result = run([
            .details(at: 0, .succeeded, start: -7200, complete: -3600),
            .details(at: 60, .inProgress, start: 30),
            .details(at: 120, .failed, start: 30, complete: 100, failure: "stream gone"),
        ], baseline: true)
        #expect(result.kinds == [.started, .failed])
    }

    @Test func aRunInProgressAtTheFirstPollIsStillReported() {
        #expect(run([.details(at: 0, .inProgress, start: -60)], baseline: true).kinds == [.started])
    }

    @Test func failedPollsBeforeTheFirstAnswerDoNotUseItUp() {
        let result = run([
            .failure(at: 0, .transient, code: "HTTP 503"),
            .details(at: 10, .succeeded, start: -7200, complete: -3600),
        ], baseline: true)
        #expect(result.kinds.isEmpty)
    }

    @Test func aPoolWithSavedStateIsNotBaselined() {
        let saved = PoolState(lastStatus: .inProgress, lastObservedAt: Fixture.at(-60),
                              run: RunRecord(startTime: Fixture.at(-7200), firstSeenAt: Fixture.at(-7000), status: .inProgress, reported: [.started]))
        let result = run([.details(at: 0, .succeeded, start: -7200, complete: -30)], baseline: true, restoring: saved)
        #expect(result.kinds == [.succeeded], "the run it was watching ended: that is news")
    }
}
