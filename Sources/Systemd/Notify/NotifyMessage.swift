public import Daemon
import Model

/// The text of an `sd_notify` message: newline-separated `VAR=value` assignments.
///
/// Pure, so that what the service manager receives is testable without a socket.
public enum NotifyMessage {
    /// The most UTF-8 bytes a `STATUS=` line keeps. systemd reads a notification in one datagram
    /// of at most a few KiB and shows the status on one line of `systemctl status`.
    public static let maximumStatusBytes = 512

    /// The message for `notifications`, in order; empty when there is nothing to send.
    public static func encode(_ notifications: [ServiceNotification]) -> String {
        notifications.flatMap(assignments).joined(separator: "\n")
    }

    /// The assignments one notification stands for.
    static func assignments(_ notification: ServiceNotification) -> [String] {
        switch notification {
        case .ready:
            ["READY=1"]
        case .status(let text):
            ["STATUS=" + statusLine(text)]
        case .watchdog:
            ["WATCHDOG=1"]
        case .reloading(let monotonicMicroseconds):
            // MONOTONIC_USEC is what Type=notify-reload (systemd 253+) requires; older managers
            // ignore it, so it is always sent.
            ["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds)"]
        case .stopping:
            ["STOPPING=1"]
        case .errno(let code):
            // systemd accepts only a positive errno (it logs and ignores anything else); callers
            // used to libsystemd's negative return codes may pass -ENOENT for ENOENT.
            ["ERRNO=\(code.magnitude)"]
        case .extendTimeout(let microseconds):
            ["EXTEND_TIMEOUT_USEC=\(microseconds)"]
        }
    }

    /// A status text as one line: a newline would end the assignment and start another one
    /// (`STATUS=x\nREADY=1` would declare the service ready).
    public static func statusLine(_ text: String) -> String {
        OneLineText.sanitize(text, maximumBytes: maximumStatusBytes)
    }
}
