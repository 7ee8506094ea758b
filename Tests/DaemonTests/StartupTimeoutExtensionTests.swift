import DaemonTestSupport
import Daemon
import Synchronization
import Testing

@Suite struct StartupTimeoutExtensionTests {
    /// A sleep that returns at once and counts; after `cancelAfter` sleeps it cancels the task,
    /// as the runner does when start-up is done.
    final class CountingSleep: Sendable {
        private let count = Mutex(0)
        let cancelAfter: Int?

        init(cancelAfter: Int? = nil) {
            self.cancelAfter = cancelAfter
        }

        func sleep(_ duration: Duration) async throws {
            let calls = count.withLock { $0 += 1; return $0 }
            if let cancelAfter, calls > cancelAfter { throw CancellationError() }
        }

        var calls: Int { count.withLock { $0 } }
    }

    @Test func extendsEveryIntervalUntilStartUpIsDone() async {
        let notifier = RecordingNotifier()
        let sleeper = CountingSleep(cancelAfter: 3)
        let extender = StartupTimeoutExtension(
            notifier: notifier, interval: .seconds(10), grant: .seconds(30), limit: .seconds(600),
            sleep: { try await sleeper.sleep($0) })
        await extender.keepExtending(status: "starting: restoring 40000 pools")
        #expect(notifier.all == Array(repeating: [.extendTimeout(microseconds: 30_000_000), .status("starting: restoring 40000 pools")], count: 3).flatMap { $0 })
    }

    @Test func aStartUpThatHangsStillTimesOutInTheEnd() async {
        let notifier = RecordingNotifier()
        let sleeper = CountingSleep()
        let extender = StartupTimeoutExtension(
            notifier: notifier, interval: .seconds(10), grant: .milliseconds(1500), limit: .seconds(60),
            sleep: { try await sleeper.sleep($0) })
        await extender.keepExtending()
        #expect(sleeper.calls == 6, "no more than the limit is granted")
        #expect(notifier.all.filter { $0 == .extendTimeout(microseconds: 1_500_000) }.count == 6)
    }

    @Test func aFastStartUpAsksForNothing() async {
        let notifier = RecordingNotifier()
        let sleeper = CountingSleep(cancelAfter: 0)
        await StartupTimeoutExtension(notifier: notifier, sleep: { try await sleeper.sleep($0) }).keepExtending()
        #expect(notifier.all.isEmpty)
    }
}
