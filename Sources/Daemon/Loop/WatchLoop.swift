import Foundation
import HeapModule
public import Logging
public import Model

/// The daemon's main loop: polls every configured pool when it is due, runs each pool's state
/// machine, reports the events, persists the state, and keeps systemd informed.
///
/// The actor runs on its ``LoopExecutor`` (in the daemon, the event loop that owns the HTTP
/// connections), which owns all mutable state; the scheduler's single timer wakes it when the
/// next poll is due. Polls are tasks that prefer the same executor: they run concurrently up to
/// the configured limit, interleaved on that one thread, and report back to the loop without
/// changing threads. Due polls sit in a priority queue, so the work per poll does not grow with
/// the number of pools.
public actor WatchLoop {
    private struct Entry {
        var pool: WatchedPool
        var machine: PoolStateMachine
        var generation: UInt64 = 0
        /// When the pool's next poll is due (monotonic seconds).
        var dueAt: Double = 0
        /// The state last written to the store (or restored from it).
        var saved: PoolState?
        /// The server's retry-after hint from the last failed poll.
        var retryAfter: Double?
    }

    private struct InFlight {
        var token: UInt64
        var startedAt: Double
        var task: Task<Void, Never>
    }

    nonisolated let executor: any LoopExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private var configuration: WatcherConfiguration
    private var fetcher: any DetailsFetcher
    private let sink: any EventSink
    private let store: any PoolStateStore
    private let notifier: any ServiceNotifier
    private let scheduler: any LoopScheduler
    private let logger: Logger
    private var random: RandomSource
    private var metrics: PoolMetrics?
    /// Whether pools without saved state start from what AWS shows (see ``PoolStateMachine``).
    private let baseline: Bool

    private var entries: [IdentityPoolID: Entry] = [:]
    private var due = Heap<DuePoll>()
    private var inFlight: [IdentityPoolID: InFlight] = [:]
    private var nextToken: UInt64 = 0
    /// The generation of the latest due entry, counted over all pools: a pool removed and added
    /// again by a reload must not find its old heap entries matching its new generations.
    private var lastGeneration: UInt64 = 0
    private var limiter: RequestRateLimiter
    private var regionThrottle = RegionThrottle()
    private var rateLimitedUntil: Double?
    private var tally = PoolTally()
    private var lastPollAt: Date?
    private var lastStatusLine: String?
    private var lastStatusSummary: String?
    private var lastWatchdogPing: Double?
    private var stopping = false
    private var started = false

    /// Everything the loop talks to is handed in, so tests drive it with fakes and a manual clock.
    public init(
        configuration: WatcherConfiguration,
        fetcher: any DetailsFetcher,
        sink: any EventSink,
        store: any PoolStateStore,
        notifier: any ServiceNotifier,
        scheduler: any LoopScheduler,
        executor: any LoopExecutor,
        random: any RandomNumberGenerator & Sendable = SplitMix(),
        baseline: Bool = false,
        metrics: PoolMetrics? = nil,
        logger: Logger
    ) {
        self.configuration = configuration
        self.fetcher = fetcher
        self.sink = sink
        self.store = store
        self.notifier = notifier
        self.scheduler = scheduler
        self.executor = executor
        self.random = RandomSource(base: random)
        self.metrics = metrics
        self.baseline = baseline
        self.logger = logger
        self.limiter = RequestRateLimiter(rate: configuration.limits.maxRequestsPerSecond)
    }

    // MARK: - Life cycle

    /// Restores the saved state and schedules every pool's first poll, now. Returns the
    /// warnings from restoring (state files moved aside).
    @discardableResult
    public func start() -> [String] {
        guard !started else { return [] }
        started = true
        let (states, warnings) = store.loadAll()
        for warning in warnings { logger.warning("\(warning)") }
        for pool in configuration.pools {
            add(pool, restoring: states[pool.id])
        }
        scheduler.setHandler { [weak self] in await self?.wakeUp() }
        logger.info("watching", metadata: [
            "pools": "\(configuration.pools.count)", "restored": "\(states.count)",
            "regions": "\(configuration.regions.joined(separator: ","))",
        ])
        wakeUp()
        return warnings
    }

    /// Applies a new configuration without losing state: new pools start polling, removed ones
    /// stop, changed settings take effect at the next poll (an earlier one if the new cadence
    /// asks for it). A new fetcher comes with new AWS settings: pools failing until now are
    /// polled at once.
    public func reload(configuration new: WatcherConfiguration, fetcher newFetcher: (any DetailsFetcher)? = nil) {
        if let newFetcher { fetcher = newFetcher }
        let now = scheduler.monotonicNow()
        let wanted = Dictionary(new.pools.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var added = 0, removed = 0, changed = 0
        for id in entries.keys where wanted[id] == nil {
            remove(id)
            removed += 1
        }
        // Saved state matters only for pools added now (a pool removed earlier and added back).
        let saved = new.pools.contains { entries[$0.id] == nil } ? store.loadAll().states : [:]
        for pool in new.pools {
            guard var entry = entries[pool.id] else {
                add(pool, restoring: saved[pool.id])
                added += 1
                continue
            }
            guard entry.pool != pool else { continue }
            changed += 1
            if entry.pool.identity != pool.identity {
                tally.remove(entry.machine.state, identity: entry.pool.identity)
                tally.add(entry.machine.state, identity: pool.identity)
            }
            entry.pool = pool
            entry.machine.pool = pool
            entries[pool.id] = entry
            metrics?.track(pool, state: entry.machine.state)
            if inFlight[pool.id] == nil {
                schedule(pool.id, after: PollSchedule.delay(after: entry.machine.state, settings: pool.settings, using: &random), now: now, onlyIfEarlier: true)
            }
        }
        if newFetcher != nil {
            // New AWS settings (endpoint, profile, CA bundle, proxy) may be the fix for what held
            // a pool back: poll such pools now rather than after their backoff or idle cadence.
            for (id, entry) in entries where entry.machine.state.failure != nil && inFlight[id] == nil {
                schedule(id, after: 0, now: now, onlyIfEarlier: true)
            }
        }
        if new.limits.maxRequestsPerSecond != configuration.limits.maxRequestsPerSecond {
            limiter = RequestRateLimiter(rate: new.limits.maxRequestsPerSecond)
        }
        configuration = new
        logger.notice("configuration reloaded", metadata: ["added": "\(added)", "removed": "\(removed)", "changed": "\(changed)", "pools": "\(entries.count)"])
        updateStatus(force: true)
        wakeUp()
    }

    /// Stops scheduling, gives polls in flight `gracePeriod` to finish (their results are
    /// reported and saved), then cancels the rest.
    public func stop(gracePeriod: Duration) async {
        guard !stopping else { return }
        stopping = true
        scheduler.wake(at: nil)
        logger.info("stopping", metadata: ["in flight": "\(inFlight.count)"])
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: gracePeriod)
            await self?.cancelAllPolls()
        }
        await settle()
        deadline.cancel()
    }

    /// Waits until no poll is in flight. Tests call it after moving the clock.
    public func settle() async {
        while let next = inFlight.values.first {
            await next.task.value
        }
    }

    /// The current state of every pool, for status output and tests.
    public var states: [IdentityPoolID: PoolState] {
        entries.mapValues(\.machine.state)
    }

    /// When the next poll is due (monotonic seconds), for tests and diagnostics.
    public var nextDue: Double? {
        due.min.map(\.dueAt)
    }

    /// The one-line summary last sent as `STATUS=`.
    public var statusLine: String? { lastStatusLine }

    /// Every pool as the loop sees it now, in the configuration's order, for the daemon's status
    /// file: its state, and its next poll on the wall clock (or that one is under way).
    public func snapshot() -> [PoolView] {
        let monotonic = scheduler.monotonicNow()
        let wall = scheduler.wallNow()
        return configuration.pools.compactMap { pool in
            guard let entry = entries[pool.id] else { return nil }
            return PoolView(
                pool: entry.pool, state: entry.machine.state, nextPoll: wall.addingTimeInterval(entry.dueAt - monotonic),
                polling: inFlight[pool.id] != nil)
        }
    }

    // MARK: - The loop

    /// Starts every due poll the limits allow, then sleeps until the next one is due.
    private func wakeUp() {
        guard !stopping else { return }
        let now = scheduler.monotonicNow()
        if let until = rateLimitedUntil, until > now {
            pingWatchdogIfHealthy(now: now)
            arm(now: now)
            return
        }
        rateLimitedUntil = nil
        // Polls due within the next few milliseconds start now, with this wake-up, instead of
        // each with a wake-up of its own: with many pools their due times are a millisecond apart.
        let horizon = now + Self.coalescingWindow
        while let top = due.min, top.dueAt <= horizon, inFlight.count < configuration.limits.maxConcurrentPolls {
            _ = due.removeMin()
            guard let entry = entries[top.pool], entry.generation == top.generation, inFlight[top.pool] == nil else { continue }
            if let until = regionThrottle.pausedUntil(region: entry.pool.region, at: now) {
                // The region is throttled: this pool waits too, spread over a second so the
                // region's pools do not all come back at once.
                schedule(top.pool, after: until - now + random.nextUnit(), now: now)
                continue
            }
            if let wait = limiter.acquire(at: now) {
                due.insert(top)
                // Behind the rate limit: come back when a batch of tokens is there rather than
                // for each one, so a rate-limited poll costs no more wake-ups than another.
                rateLimitedUntil = now + max(wait, Self.rateLimitBatch)
                break
            }
            startPoll(entry.pool, now: now)
        }
        pingWatchdogIfHealthy(now: now)
        arm(now: now)
    }

    private func startPoll(_ pool: WatchedPool, now: Double) {
        nextToken += 1
        let token = nextToken
        let fetcher = self.fetcher
        // On the loop's own executor from start to finish (see LoopExecutor): no hop to the
        // global pool and back.
        let task = Task(executorPreference: executor) {
            let result = await fetcher.fetchDetails(for: pool)
            await self.finish(pool.id, token: token, result: result)
        }
        inFlight[pool.id] = InFlight(token: token, startedAt: now, task: task)
    }

    private func finish(_ id: IdentityPoolID, token: UInt64, result: Result<BulkPublishDetails, PollFailure>) {
        guard inFlight[id]?.token == token else { return }  // cancelled: the pool was removed
        inFlight[id] = nil
        guard var entry = entries[id] else { return }
        let now = scheduler.monotonicNow()
        let wallNow = scheduler.wallNow()
        lastPollAt = wallNow

        var machine = entry.machine
        let events: [WatchEvent]
        // Counted whatever happens below, with the state the pool is left in.
        defer {
            let failure: PollFailure? = if case .failure(let failure) = result { failure } else { nil }
            metrics?.recordPoll(of: id, failure: failure, state: entries[id]?.machine.state ?? machine.state)
        }
        switch result {
        case .success(let details):
            events = machine.observe(details, at: wallNow)
            regionThrottle.recordSuccess(in: entry.pool.region)
            entry.retryAfter = nil
        case .failure(let failure):
            events = machine.observe(failure, at: wallNow)
            entry.retryAfter = failure.retryAfter
            if failure.kind == .throttled {
                regionThrottle.recordThrottling(in: entry.pool.region, at: now, retryAfter: failure.retryAfter)
            }
            logger.debug("poll failed", metadata: ["pool": "\(id)", "error": "\(failure)"])
        }

        if !events.isEmpty {
            do {
                try sink.deliver(events)
                metrics?.recordEvents(events)
            } catch {
                // Not accepted: keep the old state, so the same events are derived again at
                // the next poll. Nothing is lost; the sink sees them again.
                logger.error("could not report events; they will be reported again", metadata: [
                    "pool": "\(id)", "events": "\(events.count)", "error": "\(error)",
                ])
                entries[id] = entry
                schedule(id, after: max(PollSchedule.minimumDelay, entry.pool.settings.errorBackoffBase), now: now)
                arm(now: now)
                return
            }
        }

        let counted = tally
        tally.replace(entry.machine.state, with: machine.state, identity: entry.pool.identity)
        entry.machine = machine
        if Self.differsForStorage(machine.state, entry.saved) {
            do {
                try store.save(machine.state, for: id)
                entry.saved = machine.state
            } catch {
                // The events are out; a restart before a later save succeeds may report them
                // again, which at-least-once delivery allows.
                logger.error("could not save state", metadata: ["pool": "\(id)", "error": "\(error)"])
            }
        }
        entries[id] = entry
        schedule(id, after: PollSchedule.delay(after: machine.state, settings: entry.pool.settings, retryAfter: entry.retryAfter, using: &random), now: now)
        if !events.isEmpty || tally != counted { updateStatus(force: !events.isEmpty) }
        wakeUp()
    }

    // MARK: - Scheduling

    private func add(_ pool: WatchedPool, restoring state: PoolState?) {
        let machine = PoolStateMachine(pool: pool, restoring: state, baseline: baseline)
        entries[pool.id] = Entry(pool: pool, machine: machine, saved: state)
        tally.add(machine.state, identity: pool.identity)
        metrics?.track(pool, state: machine.state)
        schedule(pool.id, after: 0, now: scheduler.monotonicNow())
    }

    private func remove(_ id: IdentityPoolID) {
        if let running = inFlight.removeValue(forKey: id) {
            running.task.cancel()
        }
        if let entry = entries.removeValue(forKey: id) {
            tally.remove(entry.machine.state, identity: entry.pool.identity)
        }
        metrics?.forget(id)
    }

    private func schedule(_ id: IdentityPoolID, after delay: Double, now: Double, onlyIfEarlier: Bool = false) {
        guard var entry = entries[id] else { return }
        let dueAt = now + delay
        if onlyIfEarlier, entry.dueAt <= dueAt { return }
        lastGeneration &+= 1
        entry.generation = lastGeneration
        entry.dueAt = dueAt
        entries[id] = entry
        due.insert(DuePoll(dueAt: dueAt, pool: id, generation: entry.generation))
    }

    /// Sets the one timer: the next due poll (unless every poll slot is busy, when a finishing
    /// poll wakes the loop), the end of a rate-limit wait, or the next watchdog ping.
    private func arm(now: Double) {
        guard !stopping else { return }
        var deadline: Double?
        if inFlight.count < configuration.limits.maxConcurrentPolls, let next = due.min?.dueAt {
            deadline = max(next, rateLimitedUntil ?? next)
        }
        if let interval = notifier.watchdogInterval.map(Self.seconds) {
            // After a skipped ping (a stuck poll) look again an interval later, not at once.
            var ping = (lastWatchdogPing ?? now) + interval
            if ping <= now { ping = now + interval }
            deadline = min(deadline ?? ping, ping)
        }
        scheduler.wake(at: deadline)
    }

    /// Cancels every poll in flight and forgets them: a cancelled poll says nothing about the
    /// pool, so its result must not count as a failure.
    private func cancelAllPolls() {
        for (_, running) in inFlight { running.task.cancel() }
        inFlight.removeAll()
    }

    // MARK: - Telling systemd

    /// Pings the watchdog only while the loop makes progress: it is awake now, and no poll has
    /// been stuck for longer than a poll can take with all its retries.
    private func pingWatchdogIfHealthy(now: Double) {
        guard let interval = notifier.watchdogInterval.map(Self.seconds) else { return }
        // The longest a poll can legitimately take: every attempt timing out, the waits between
        // them, and a credential_process running to its own timeout, with room to spare.
        let limit = configuration.limits.requestTimeout * 3 + 40 + 60 + 60
        if let stuck = inFlight.values.first(where: { now - $0.startedAt > limit }) {
            logger.warning("a poll has been in flight too long; not pinging the watchdog", metadata: [
                "seconds": "\(Int(now - stuck.startedAt))",
            ])
            return
        }
        if let last = lastWatchdogPing, now - last < interval * 0.5 { return }
        lastWatchdogPing = now
        var notifications: [ServiceNotification] = [.watchdog]
        if let line = statusLineIfChanged() { notifications.append(.status(line)) }
        notifier.notify(notifications)
    }

    /// Sends `STATUS=` when the pools' counts changed (or `force`): not after every poll, so
    /// a poll costs no datagram to systemd. The time of the last poll in the line is brought up
    /// to date with every watchdog ping.
    private func updateStatus(force: Bool) {
        if force || tally.summary != lastStatusSummary, let line = statusLineIfChanged() {
            notifier.notify([.status(line)])
        }
    }

    private func statusLineIfChanged() -> String? {
        let summary = tally.summary
        var line = summary
        if let lastPollAt { line += "; last poll \(EventText.timestamp(lastPollAt))" }
        guard line != lastStatusLine else { return nil }
        lastStatusLine = line
        lastStatusSummary = summary
        return line
    }

    // MARK: - Helpers

    /// Whether `state` must be written: anything but the time of the last poll changed.
    private static func differsForStorage(_ state: PoolState, _ saved: PoolState?) -> Bool {
        guard var saved else { return true }
        saved.lastObservedAt = state.lastObservedAt
        return saved != state
    }

    /// How long the loop waits at least once the rate limit holds polls back: it then starts
    /// up to a tenth of a second's worth of polls in one wake-up.
    static let rateLimitBatch = 0.1

    /// How early a poll may start to share a wake-up with another: nothing next to cadences of
    /// seconds and a jitter of a tenth of them.
    static let coalescingWindow = 0.01

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

/// Holds whichever generator was injected, as a concrete type the scheduling functions accept.
struct RandomSource: RandomNumberGenerator, Sendable {
    var base: any RandomNumberGenerator & Sendable

    mutating func next() -> UInt64 {
        base.next()
    }
}
