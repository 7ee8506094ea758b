import Daemon
import Model
import Synchronization

/// Passes events on to the sink that shows them and keeps a copy for the demo's summary.
final class RecordingEventSink: EventSink {
    private let next: any EventSink
    private let recorded = Mutex<[WatchEvent]>([])

    init(passingTo next: any EventSink) {
        self.next = next
    }

    func deliver(_ events: [WatchEvent]) throws {
        try next.deliver(events)
        recorded.withLock { $0 += events }
    }

    /// Every event delivered, in order.
    var events: [WatchEvent] {
        recorded.withLock { $0 }
    }
}

/// Counts each pool's polls and failed polls on their way through, for the demo's summary:
/// transient errors the daemon rides out are never events, but the demo should show them.
final class CountingFetcher: DetailsFetcher {
    struct Counts: Sendable {
        var polls = 0
        var failures: [String: Int] = [:]
    }

    private let next: any DetailsFetcher
    private let counts = Mutex<[IdentityPoolID: Counts]>([:])

    init(passingTo next: any DetailsFetcher) {
        self.next = next
    }

    func fetchDetails(for pool: WatchedPool) async -> Result<BulkPublishDetails, PollFailure> {
        let result = await next.fetchDetails(for: pool)
        counts.withLock { counts in
            counts[pool.id, default: Counts()].polls += 1
            if case .failure(let failure) = result {
                counts[pool.id, default: Counts()].failures[failure.code, default: 0] += 1
            }
        }
        return result
    }

    /// The counts so far, per pool.
    var tally: [IdentityPoolID: Counts] {
        counts.withLock { $0 }
    }
}
