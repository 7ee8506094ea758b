import Foundation
import Model
import Synchronization

/// Shows what `wait` sees: one line per change on stderr (with the time since it began), one
/// JSON object per change on stdout with `--json`, and remembers each pool's last change and
/// outcome for the final verdict.
final class WaitReporter: Sendable {
    private struct State {
        var last: [IdentityPoolID: WaitProgress] = [:]
        var outcomes: [IdentityPoolID: WaitOutcome] = [:]
    }

    private let quiet: Bool
    private let json: Bool
    private let began = ContinuousClock.now
    private let state = Mutex(State())

    init(quiet: Bool, json: Bool) {
        self.quiet = quiet
        self.json = json
    }

    /// Shows one change of `pool`.
    func report(_ progress: WaitProgress, for pool: WatchedPool, outcome: WaitOutcome? = nil) {
        let seconds = began.duration(to: .now).seconds
        // Under the lock, so lines of different pools never interleave.
        state.withLock { state in
            state.last[pool.id] = progress
            if let outcome { state.outcomes[pool.id] = outcome }
            if !quiet {
                let line = "[\(EventText.duration(seconds.rounded(.down)))] \(pool.label): \(progress.message)"
                FileHandle.standardError.write(Data((OneLine.clean(line) + "\n").utf8))
            }
            if json {
                FileHandle.standardOutput.write(Data((Self.jsonLine(progress, pool: pool, elapsed: seconds, outcome: outcome) + "\n").utf8))
            }
        }
    }

    /// The outcome of every pool that finished.
    var outcomes: [IdentityPoolID: WaitOutcome] {
        state.withLock { $0.outcomes }
    }

    /// The last change shown for `pool`.
    func lastProgress(for pool: IdentityPoolID) -> WaitProgress? {
        state.withLock { $0.last[pool] }
    }

    /// One compact JSON object with the change's facts, for scripts.
    static func jsonLine(_ progress: WaitProgress, pool: WatchedPool, elapsed: Double, outcome: WaitOutcome?) -> String {
        var object: [String: Any] = [
            "time": EventText.timestamp(Date()),
            "elapsedSeconds": (elapsed * 10).rounded() / 10,
            "pool": pool.id.rawValue,
            "region": pool.region,
            "event": progress.kind.rawValue,
            "final": progress.isFinal,
            "message": progress.message,
        ]
        if let name = pool.name { object["name"] = name }
        if let details = progress.details {
            if let status = details.status { object["status"] = status.rawValue }
            if let start = details.startTime { object["startTime"] = EventText.timestamp(start) }
            if let complete = details.completeTime { object["completeTime"] = EventText.timestamp(complete) }
            if let message = details.failureMessage { object["failureMessage"] = message }
        }
        if let failure = progress.failure {
            var error: [String: Any] = ["code": failure.code, "message": failure.message, "kind": failure.kind.rawValue]
            if let requestID = failure.requestID { error["requestId"] = requestID }
            object["error"] = error
        }
        if let operation = progress.operation { object["operation"] = operation.rawValue }
        if let outcome { object["exitStatus"] = Int(outcome.exitStatus.rawValue) }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
