import Daemon
import Systemd
import Testing

struct NotifyMessageTests {
    @Test(arguments: [
        ([.ready], "READY=1"),
        ([.status("Watching 3 pools")], "STATUS=Watching 3 pools"),
        ([.watchdog], "WATCHDOG=1"),
        ([.reloading(monotonicMicroseconds: 123_456_789)], "RELOADING=1\nMONOTONIC_USEC=123456789"),
        ([.stopping], "STOPPING=1"),
        ([.errno(2)], "ERRNO=2"),
        ([.errno(-13)], "ERRNO=13"),
        ([.extendTimeout(microseconds: 30_000_000)], "EXTEND_TIMEOUT_USEC=30000000"),
        ([.ready, .status("up"), .watchdog], "READY=1\nSTATUS=up\nWATCHDOG=1"),
        ([], ""),
    ] as [([ServiceNotification], String)])
    func encodesNotifications(notifications: [ServiceNotification], expected: String) {
        #expect(NotifyMessage.encode(notifications) == expected)
    }

    @Test func statusCannotSmuggleAnotherAssignment() {
        let message = NotifyMessage.encode([.status("loading\nREADY=1\r\nSTOPPING=1")])
        #expect(message == "STATUS=loading READY=1 STOPPING=1")
        #expect(!message.contains("\n"))
    }

    @Test func statusIsBounded() {
        let message = NotifyMessage.encode([.status(String(repeating: "pool ", count: 1_000))])
        #expect(message.utf8.count <= "STATUS=".utf8.count + NotifyMessage.maximumStatusBytes)
        #expect(message.hasSuffix("…"))
    }
}
