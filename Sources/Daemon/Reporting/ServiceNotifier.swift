/// Tells the service manager how the daemon is doing (systemd's `sd_notify`).
public protocol ServiceNotifier: Sendable {
    /// Sends `notifications` together, as one message.
    func notify(_ notifications: [ServiceNotification])

    /// How often the service manager expects a watchdog ping, if it expects one at all.
    var watchdogInterval: Duration? { get }
}

/// One thing the service manager is told.
public enum ServiceNotification: Sendable, Equatable {
    /// Start-up is complete: the configuration is loaded and the state restored.
    case ready
    /// A one-line summary a person reads in `systemctl status`.
    case status(String)
    /// The main loop is making progress.
    case watchdog
    /// A configuration reload started, at this `CLOCK_MONOTONIC` time in microseconds.
    case reloading(monotonicMicroseconds: UInt64)
    /// Shutdown started.
    case stopping
    /// Start-up failed with this errno-style code.
    case errno(Int32)
    /// Start-up needs more time than the unit allows: extend the timeout by this much.
    case extendTimeout(microseconds: UInt64)
}

/// A notifier for when no service manager listens: every notification is dropped.
public struct NoServiceNotifier: ServiceNotifier {
    public init() {}
    public func notify(_ notifications: [ServiceNotification]) {}
    public var watchdogInterval: Duration? { nil }
}
