import Daemon
import DaemonTestSupport
import Model
import Synchronization

/// Passes every poll to the real fetcher and records when it happened and how it ended.
final class RecordingFetcher: DetailsFetcher {
    /// One poll as the loop saw it.
    struct Poll: Sendable {
        var pool: IdentityPoolID
        /// Monotonic seconds since the test started.
        var at: Double
        var failure: PollFailure?
    }

    private let base: any DetailsFetcher
    private let clock: ManualScheduler
    private let polls = Mutex<[Poll]>([])

    init(base: any DetailsFetcher, clock: ManualScheduler) {
        self.base = base
        self.clock = clock
    }

    func fetchDetails(for pool: WatchedPool) async -> Result<BulkPublishDetails, PollFailure> {
        let at = (clock.now() - .origin).seconds
        let result = await base.fetchDetails(for: pool)
        let failure: PollFailure? = if case .failure(let failure) = result { failure } else { nil }
        polls.withLock { $0.append(Poll(pool: pool.id, at: at, failure: failure)) }
        return result
    }

    /// Every poll of `pool`, in the order they happened.
    func polls(of pool: IdentityPoolID) -> [Poll] {
        polls.withLock { $0.filter { $0.pool == pool }.sorted { $0.at < $1.at } }
    }

    /// When each poll of `pool` happened.
    func pollTimes(of pool: IdentityPoolID) -> [Double] {
        polls(of: pool).map(\.at)
    }

    /// The gaps between consecutive polls of `pool` that both started in `range`.
    func gaps(of pool: IdentityPoolID, within range: Range<Double>) -> [Double] {
        let times = pollTimes(of: pool).filter { range.contains($0) }
        return zip(times.dropFirst(), times).map { $0 - $1 }
    }
}
