package import Foundation
package import Model

/// What the loop tells systemd about its health: watchdog pings while it makes progress, and
/// the one-line `STATUS=` summary.
///
/// A pure value: times come in, notifications go out. The loop's state machine owns it.
package struct Health {
    /// How often systemd expects a ping (`WatchdogSec=`), if it expects any.
    package let watchdogInterval: Duration?
    /// The longest a poll can legitimately take; one in flight for longer means the loop is
    /// stuck, and the watchdog is left to restart the daemon.
    package var longestLegitimatePoll: Duration
    private var lastPing: MonotonicInstant?
    private var lastStatusLine: String?
    private var lastSummary: String?
    /// When the last poll finished, shown in the status line.
    package var lastPollAt: Date?

    package init(watchdogInterval: Duration?, longestLegitimatePoll: Duration) {
        self.watchdogInterval = watchdogInterval
        self.longestLegitimatePoll = longestLegitimatePoll
    }

    /// What a wake-up tells systemd: a ping (with the status line when it changed) unless a poll
    /// started at `oldestPoll` has been in flight too long, which it returns instead.
    package mutating func wakeUp(at now: MonotonicInstant, oldestPoll: MonotonicInstant?, summary: String) -> (notifications: [ServiceNotification], stuckFor: Duration?) {
        guard let interval = watchdogInterval else { return ([], nil) }
        if let oldestPoll, now - oldestPoll > longestLegitimatePoll {
            return ([], now - oldestPoll)
        }
        // systemd's advice: ping at half the interval.
        if let lastPing, now - lastPing < interval / 2 { return ([], nil) }
        lastPing = now
        var notifications: [ServiceNotification] = [.watchdog]
        if let line = statusLineIfChanged(summary: summary) { notifications.append(.status(line)) }
        return (notifications, nil)
    }

    /// When the next ping is due, for the timer: an interval after the last (or after `now`
    /// when that moment has passed, as after a ping skipped for a stuck poll).
    package func nextPing(after now: MonotonicInstant) -> MonotonicInstant? {
        guard let interval = watchdogInterval else { return nil }
        let ping = (lastPing ?? now) + interval
        return ping > now ? ping : now + interval
    }

    /// `STATUS=` when the pools' counts changed (or `force`): not after every poll, so a poll
    /// costs no datagram to systemd. The time of the last poll in the line is brought up to
    /// date with every watchdog ping.
    package mutating func status(summary: String, force: Bool) -> ServiceNotification? {
        guard force || summary != lastSummary, let line = statusLineIfChanged(summary: summary) else { return nil }
        return .status(line)
    }

    /// The line last sent as `STATUS=`.
    package var statusLine: String? { lastStatusLine }

    private mutating func statusLineIfChanged(summary: String) -> String? {
        var line = summary
        if let lastPollAt { line += "; last poll \(EventText.timestamp(lastPollAt))" }
        guard line != lastStatusLine else { return nil }
        lastStatusLine = line
        lastSummary = summary
        return line
    }
}
