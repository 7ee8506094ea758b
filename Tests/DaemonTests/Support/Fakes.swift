import DaemonTestSupport
import Daemon
import Foundation
import Model
import ProcessSupport
import Synchronization
import Testing

/// Answers each pool's polls from a script: a list of (from this many seconds after the first
/// poll, this answer). Records every poll.
final class ScriptedFetcher: DetailsFetcher {
    typealias Answer = Result<BulkPublishDetails, PollFailure>
    private let scripts: Mutex<[IdentityPoolID: [(Double, Answer)]]>
    private let calls = Mutex<[(IdentityPoolID, Double)]>([])
    private let clock: ManualScheduler
    private let origin: MonotonicInstant

    init(clock: ManualScheduler, scripts: [IdentityPoolID: [(Double, Answer)]]) {
        self.clock = clock
        self.origin = clock.now()
        self.scripts = Mutex(scripts)
    }

    func fetchDetails(for pool: WatchedPool) async -> Answer {
        let elapsed = (clock.now() - origin).seconds
        calls.withLock { $0.append((pool.id, elapsed)) }
        let script = scripts.withLock { $0[pool.id] ?? [] }
        return script.last { $0.0 <= elapsed }?.1
            ?? .failure(PollFailure(kind: .lasting, code: "ResourceNotFoundException", message: "no script for \(pool.id)"))
    }

    func set(_ pool: IdentityPoolID, _ script: [(Double, Answer)]) {
        scripts.withLock { $0[pool] = script }
    }

    /// When each poll of `pool` happened, in seconds after the start.
    func pollTimes(of pool: IdentityPoolID) -> [Double] {
        calls.withLock { $0.filter { $0.0 == pool }.map(\.1) }
    }

    var totalPolls: Int { calls.withLock { $0.count } }
}

/// Holds every poll until the test opens the gate (or the poll is cancelled), counting the
/// most polls it ever had in flight at once.
final class GatedFetcher: DetailsFetcher {
    private struct Gate {
        var open = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var inFlight = 0
        var peakInFlight = 0
    }

    private let gate = Mutex(Gate())
    let answer: BulkPublishDetails

    init(answer: BulkPublishDetails) {
        self.answer = answer
    }

    func fetchDetails(for pool: WatchedPool) async -> Result<BulkPublishDetails, PollFailure> {
        gate.withLock { gate in
            gate.inFlight += 1
            gate.peakInFlight = max(gate.peakInFlight, gate.inFlight)
        }
        defer { gate.withLock { $0.inFlight -= 1 } }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let passes = gate.withLock { gate in
                    if gate.open { return true }
                    gate.waiting.append(continuation)
                    return false
                }
                if passes { continuation.resume() }
            }
        } onCancel: {
            self.release()
        }
        if Task.isCancelled {
            return .failure(PollFailure(kind: .transient, code: "Cancelled", message: "cancelled"))
        }
        return .success(answer)
    }

    var waitingCount: Int { gate.withLock { $0.waiting.count } }

    /// The most polls that were inside ``fetchDetails(for:)`` at the same time.
    var peakInFlight: Int { gate.withLock { $0.peakInFlight } }

    func release() {
        let all = gate.withLock { gate in
            gate.open = true
            defer { gate.waiting = [] }
            return gate.waiting
        }
        for continuation in all { continuation.resume() }
    }

    /// Suspends until `count` polls are held at the gate; a test whose polls never come fails
    /// after `limit` instead of hanging the suite.
    func waitForPolls(_ count: Int, within limit: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation) async {
        guard await eventually(within: limit, checkingEvery: .milliseconds(1), { waitingCount >= count }) else {
            Issue.record("\(waitingCount) of \(count) polls reached the gate within \(limit)", sourceLocation: sourceLocation)
            return
        }
    }
}

