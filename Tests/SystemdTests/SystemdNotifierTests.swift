#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Daemon
import Foundation
import ProcessSupport
import Systemd
import Testing

/// sd_notify against a real datagram socket, and the watchdog settings, each in a child process
/// started with the variables libsystemd reads (see ``TestChild``).
struct SystemdNotifierTests {
    @Test(.enabled(if: TestChild.role == nil))
    func sendsOneDatagramPerCallToNotifySocket() async throws {
        let socket = try NotifySocket()
        let child = try await TestChild.run(role: "notify", filter: "InChild/notifies", environment: ["NOTIFY_SOCKET": socket.path])
        try #require(child.status == 0 && TestChild.ran(1, in: child.output), "\(child.output)")
        #expect(socket.receive() == "READY=1\nSTATUS=Watching 2 pools: 1 IN_PROGRESS, 1 SUCCEEDED")
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(socket.receive() == "RELOADING=1\nMONOTONIC_USEC=987654321")
        #expect(socket.receive() == "STATUS=bad READY=1\nSTOPPING=1")
        #expect(socket.receive() == "STATUS=start-up failed\nERRNO=2")
        #expect(socket.receive() == "EXTEND_TIMEOUT_USEC=20000000")
        // Each notification after the first arrived too: libsystemd left NOTIFY_SOCKET in place
        // (a notifier that unset it, as `sd_notify(1, …)` does, would send only the first).
        #expect(socket.receive() == "STATUS=sent last")
        // Nothing for the empty notification.
        #expect(!socket.hasPending())
    }

    @Test(.enabled(if: TestChild.role == nil))
    func doesNothingWithoutNotifySocket() async throws {
        let child = try await TestChild.run(role: "notify", filter: "InChild/notifies", environment: ["NOTIFY_SOCKET": nil])
        #expect(child.status == 0 && TestChild.ran(1, in: child.output), "\(child.output)")
    }

    /// `WATCHDOG_PID`: `nil` unset, `"child"` the child's own pid, else the given value.
    @Test(.enabled(if: TestChild.role == nil), arguments: [
        ("60000000", nil, Int64?.some(60_000_000)),
        ("60000000", "child", 60_000_000),
        ("1500000", nil, 1_500_000),
        ("60000000", "1", nil),
        (nil, nil, nil),
        ("0", nil, nil),
        ("soon", nil, nil),
    ] as [(String?, String?, Int64?)])
    func readsTheWatchdogFromTheEnvironment(usec: String?, pid: String?, expected: Int64?) async throws {
        let child = try await TestChild.run(
            role: "watchdog", filter: "InChild/readsTheWatchdog",
            environment: [
                "WATCHDOG_USEC": usec, "WATCHDOG_PID": pid == "child" ? nil : pid,
                "EXPECTED_WATCHDOG_USEC": expected.map(String.init) ?? "none",
            ],
            watchdogPIDIsChild: pid == "child"
        )
        #expect(child.status == 0 && TestChild.ran(1, in: child.output), "\(child.output)")
    }

    /// The halves that run in the child.
    struct InChild {
        @Test(.enabled(if: TestChild.role == "notify"))
        func notifies() {
            let notifier = SystemdNotifier()
            notifier.notify([.ready, .status("Watching 2 pools: 1 IN_PROGRESS, 1 SUCCEEDED")])
            notifier.notify([.watchdog])
            notifier.notify([.reloading(monotonicMicroseconds: 987_654_321)])
            notifier.notify([.status("bad\nREADY=1"), .stopping])
            notifier.notify([])
            notifier.notify([.status("start-up failed"), .errno(2)])
            notifier.notify([.extendTimeout(microseconds: 20_000_000)])
            notifier.notify([.status("sent last")])
        }

        @Test(.enabled(if: TestChild.role == "watchdog"))
        func readsTheWatchdog() {
            let expected = ProcessInfo.processInfo.environment["EXPECTED_WATCHDOG_USEC"].flatMap(Int64.init)
            let notifier = SystemdNotifier()
            #expect(notifier.watchdogTimeout == expected.map { .microseconds($0) })
            #expect(notifier.watchdogPingInterval == expected.map { .microseconds($0 / 2) })
            #expect(notifier.watchdogInterval == notifier.watchdogPingInterval)
        }
    }
}
