public import Foundation

/// What `daemon-status` says: whether the daemon is running, judged from its status file, and
/// what it last saw of each pool, as a table or as JSON.
///
/// Pure: the file's content, the time now and whether the daemon's process still exists come
/// in, so every verdict is tested without a daemon or a clock.
public struct DaemonViewReport: Sendable {
    /// What the status file says about the daemon.
    public enum Verdict: String, Sendable, Equatable {
        /// Written by a daemon that runs, recently enough.
        case running
        /// Not rewritten for longer than the daemon lets it age: the daemon is stuck, or ended
        /// without a word (killed, or the machine lost power).
        case stale
        /// The daemon wrote its last view as it stopped.
        case stopped
        /// The process that wrote it no longer exists, and it did not stop cleanly.
        case gone
        /// There is no status file.
        case missing
    }

    /// Where the status file is (or was looked for first).
    public var file: String
    /// The other places looked in, when there was no file.
    public var alsoSearched: [String]
    public var view: DaemonView?
    public var verdict: Verdict
    public var now: Date

    /// - Parameters:
    ///   - processExists: whether the process named in the file exists (`nil` when that cannot
    ///     be told, e.g. from another PID namespace).
    public init(file: String, alsoSearched: [String] = [], view: DaemonView?, now: Date, processExists: Bool?) {
        self.file = file
        self.alsoSearched = alsoSearched
        self.view = view
        self.now = now
        verdict = Self.verdict(view, now: now, processExists: processExists)
    }

    /// How many rewrites may be missed before a view counts as stale: a busy machine may delay
    /// one, not three.
    public static let missedRewritesBeforeStale = 3.0

    static func verdict(_ view: DaemonView?, now: Date, processExists: Bool?) -> Verdict {
        guard let view else { return .missing }
        if view.stoppedAt != nil { return .stopped }
        if processExists == false { return .gone }
        if now.timeIntervalSince(view.writtenAt) > view.refreshSeconds * missedRewritesBeforeStale { return .stale }
        return .running
    }

    /// How old the view is, in seconds (never negative: a clock set back counts as fresh).
    public var age: TimeInterval? {
        view.map { max(0, now.timeIntervalSince($0.writtenAt)) }
    }

    /// One or two sentences on the daemon: running or not, and how old the view is.
    public var summary: String {
        guard let view, let age else {
            return "The daemon is not running: there is no status file at \(([file] + alsoSearched).joined(separator: ", nor at ")). "
                + "(Under systemd: systemctl status \(BuildInfo.name).)"
        }
        let written = "\(EventText.timestamp(view.writtenAt)) (\(Self.ago(age)))"
        switch verdict {
        case .running:
            return "The daemon is running (pid \(view.pid), version \(view.version), started \(EventText.timestamp(view.startedAt))). "
                + "This view is from \(written); the daemon rewrites it every \(EventText.duration(view.refreshSeconds)) and soon after a change."
        case .stale:
            return "The daemon's view is stale: it was written at \(written), and a running daemon rewrites it every "
                + "\(EventText.duration(view.refreshSeconds)). The daemon (pid \(view.pid)) is stuck, or ended without a clean stop; "
                + "under systemd: systemctl status \(BuildInfo.name). What it saw last:"
        case .stopped:
            let stopped = view.stoppedAt.map { "\(EventText.timestamp($0)) (\(Self.ago(max(0, now.timeIntervalSince($0)))))" } ?? written
            return "The daemon is not running: it stopped at \(stopped). What it saw last:"
        case .gone:
            return "The daemon is not running: its process (pid \(view.pid)) no longer exists, and it did not stop cleanly. "
                + "What it saw last, at \(written):"
        case .missing:
            return "The daemon is not running."
        }
    }

    /// The summary, then a table of the pools (when there is a view).
    public func text() -> String {
        guard let view else { return summary }
        var table = TextTable(headers: ["POOL", "NAME", "STATUS", "RUN STARTED", "RUN ENDED", "LAST POLL", "NEXT POLL", "LAST ERROR", "FAILURE MESSAGE"])
        for pool in view.pools {
            table.append([
                pool.id.rawValue,
                pool.name.map { OneLineText.sanitize($0, maximumBytes: 64) } ?? "-",
                pool.status.map { OneLineText.sanitize($0.rawValue, maximumBytes: 64) } ?? "UNKNOWN",
                pool.runStartTime.map(EventText.timestamp) ?? "-",
                pool.runCompleteTime.map(EventText.timestamp) ?? "-",
                pool.lastSuccessfulPoll.map { Self.ago(now.timeIntervalSince($0)) } ?? "never",
                nextPoll(pool),
                pool.lastError.map(Self.describe) ?? "-",
                // Cut for the table; --json has it whole.
                pool.runFailureMessage.map { OneLineText.sanitize($0, maximumBytes: 120) } ?? "",
            ])
        }
        let pools = view.pools.isEmpty ? "\nThe daemon watches no pool." : "\n" + table.render()
        return summary + "\n" + pools
    }

    /// One JSON object: `daemon` (the verdict, the process, the view's age) and `pools` (as in
    /// the status file).
    public func json() -> String {
        struct Daemon: Encodable {
            var status: String
            var message: String
            var file: String
            @ExplicitNull var pid: Int32?
            @ExplicitNull var version: String?
            @ExplicitNull var startedAt: Date?
            @ExplicitNull var stoppedAt: Date?
            @ExplicitNull var viewWrittenAt: Date?
            @ExplicitNull var viewAgeSeconds: Int?
            @ExplicitNull var refreshSeconds: Double?
        }
        struct Output: Encodable {
            var daemon: Daemon
            var pools: [PoolView]
        }
        let output = Output(
            daemon: Daemon(
                status: verdict == .missing ? "not running" : verdict.rawValue, message: summary, file: file, pid: view?.pid,
                version: view?.version, startedAt: view?.startedAt, stoppedAt: view?.stoppedAt, viewWrittenAt: view?.writtenAt,
                viewAgeSeconds: age.map { Int($0.rounded()) }, refreshSeconds: view?.refreshSeconds),
            pools: view?.pools ?? [])
        let encoder = DaemonView.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Only strings, numbers, dates and booleans: encoding cannot fail.
        let data = (try? encoder.encode(output)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func nextPoll(_ pool: PoolView) -> String {
        guard verdict == .running || verdict == .stale else { return "-" }
        if pool.polling { return "polling now" }
        guard let next = pool.nextPoll else { return "-" }
        let wait = next.timeIntervalSince(now)
        return wait <= 0 ? "due now" : "in " + EventText.duration(wait.rounded(.up))
    }

    private static func describe(_ error: PoolView.LastError) -> String {
        let times = error.consecutiveFailures == 1 ? "once" : "\(error.consecutiveFailures) in a row"
        let message = OneLineText.sanitize("\(error.code): \(error.message)", maximumBytes: 512)
        return "\(message) (\(times) since \(EventText.timestamp(error.since)))"
    }

    /// `12s ago`, `3m 4s ago`; `just now` under a second.
    static func ago(_ seconds: TimeInterval) -> String {
        seconds < 1 ? "just now" : EventText.duration(seconds.rounded(.down)) + " ago"
    }
}
