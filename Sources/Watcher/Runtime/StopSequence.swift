import Daemon
import Logging

/// The steps of the daemon's stop, run in order, each waited for only until the stop's deadline
/// (``StopBudget/total`` after SIGTERM).
///
/// A step still running at the deadline is cancelled and left behind, named in an error line:
/// the process exits anyway, inside the unit's `TimeoutStopSec=`, and systemd ends whatever the
/// step left running. Every step is meant to end on its own long before; this is the backstop
/// for a fault no one foresaw, not the way a stop normally ends.
struct StopSequence {
    let deadline: ContinuousClock.Instant
    let logger: Logger
    /// The steps that were left running at the deadline.
    private(set) var unfinished: [String] = []

    init(budget: Duration = StopBudget.total, logger: Logger) {
        self.deadline = .now + budget
        self.logger = logger
    }

    /// Runs `step` (`what` says what it does, for the log) until it ends or the deadline passes.
    mutating func run(_ what: String, _ step: @escaping @Sendable () async -> Void) async {
        guard unfinished.isEmpty else {
            // Past the deadline already: a step started now could only overrun it too.
            unfinished.append(what)
            return
        }
        if await !Self.finishes(step, by: deadline) {
            unfinished.append(what)
            logger.error("stopping: could not \(what) within the time a stop may take; exiting without waiting for it")
        }
    }

    /// Whether `step` ended before `deadline`; one that did not is cancelled and not waited for.
    private static func finishes(_ step: @escaping @Sendable () async -> Void, by deadline: ContinuousClock.Instant) async -> Bool {
        let (outcomes, continuation) = AsyncStream<Bool>.makeStream(bufferingPolicy: .bufferingOldest(1))
        let work = Task {
            await step()
            continuation.yield(true)
        }
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            continuation.yield(false)
        }
        var iterator = outcomes.makeAsyncIterator()
        let finished = await iterator.next() ?? false
        continuation.finish()
        timer.cancel()
        if !finished { work.cancel() }
        return finished
    }
}
