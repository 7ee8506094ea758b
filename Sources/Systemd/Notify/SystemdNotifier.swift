public import Daemon
import CSystemd
public import Logging

/// Tells systemd how the daemon is doing with `sd_notify`, and reads the watchdog settings.
///
/// `sd_notify` and `sd_watchdog_enabled` read `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID`
/// from the process environment themselves; that is libsystemd's contract with the service
/// manager, so this type does not take an environment dictionary. Without `NOTIFY_SOCKET` (not
/// started by systemd) every notification is a no-op.
public struct SystemdNotifier: ServiceNotifier {
    /// The watchdog timeout the unit set (`WatchdogSec=`), or `nil` when no watchdog watches
    /// this process.
    public let watchdogTimeout: Duration?
    private let logger: Logger?

    /// Reads the watchdog settings once; `logger` hears about notifications that could not be sent.
    public init(logger: Logger? = nil) {
        self.watchdogTimeout = Self.readWatchdogTimeout()
        self.logger = logger
    }

    /// How often to send `WATCHDOG=1`: half the timeout, as `sd_watchdog_enabled(3)` advises, so
    /// that one late ping does not get the service killed. `nil` when there is no watchdog.
    public var watchdogPingInterval: Duration? {
        watchdogTimeout.map { $0 / 2 }
    }

    /// The ``ServiceNotifier`` requirement: the interval to ping at, ``watchdogPingInterval``
    /// (half the unit's timeout, not the timeout itself).
    public var watchdogInterval: Duration? { watchdogPingInterval }

    public func notify(_ notifications: [ServiceNotification]) {
        let message = NotifyMessage.encode(notifications)
        guard !message.isEmpty else { return }
        let result = sd_notify(0, message)
        if result < 0 {
            // Not being heard by the service manager is worth a line, but not worth stopping for.
            logger?.warning(
                "could not notify the service manager",
                metadata: ["errno": "\(-result)", "notification": "\(message.prefix { $0 != "=" })"]
            )
        }
    }

    /// The timeout from `sd_watchdog_enabled`: set when `WATCHDOG_USEC` is set and `WATCHDOG_PID`
    /// is unset or names this process.
    static func readWatchdogTimeout() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }
}
