import Testing
@testable import Model

/// The waits between the runs of a failing hook.
struct HookRetryScheduleTests {
    @Test func theWaitDoublesUpToItsLimit() {
        let schedule = HookRetrySchedule(attempts: 8, firstDelay: 10, maximumDelay: 100)
        #expect(schedule.delays == [10, 20, 40, 80, 100, 100, 100])
        #expect(schedule.delay(afterFailedAttempt: 1) == 10)
        #expect(schedule.delay(afterFailedAttempt: 7) == 100)
    }

    @Test func thereIsNoWaitAfterTheLastRun() {
        let schedule = HookRetrySchedule(attempts: 3, firstDelay: 1, maximumDelay: 60)
        #expect(schedule.delay(afterFailedAttempt: 3) == nil)
        #expect(schedule.delay(afterFailedAttempt: 4) == nil)
        #expect(schedule.delay(afterFailedAttempt: 0) == nil)
        #expect(HookRetrySchedule(attempts: 1, firstDelay: 1, maximumDelay: 1).delays.isEmpty)
    }

    @Test func manyAttemptsNeverOverflow() {
        let schedule = HookRetrySchedule(attempts: 100, firstDelay: 3600, maximumDelay: 86_400)
        #expect(schedule.delays.count == 99)
        #expect(schedule.delays.allSatisfy { $0 <= 86_400 && $0 >= 3600 })
    }
}
