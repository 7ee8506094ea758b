package import Foundation
import HeapModule
package import Model

/// Every decision of the watch loop, as a value: which pool to poll next under the concurrency
/// limit, the rate limit, a throttled region and the service's retry-after hints; what a
/// finished poll changes, what must be reported and saved, when to wake up next, what systemd
/// hears.
///
/// Events come in as method calls with the time they happen at (a wake-up, a poll finished, its
/// events recorded, a reload, a stop); each returns the ``LoopActions`` the ``WatchLoop`` actor
/// then carries out. Nothing here touches a clock, a task, a file or a socket, so every rule is
/// tested as plain values (as async-http-client's connection pool state machine is).
package struct LoopStateMachine {
    /// What the configuration and the client settle about the loop.
    package struct Settings: Equatable, Sendable {
        /// Polls in flight at once.
        package var maxConcurrentPolls: Int
        /// Requests per second across all pools.
        package var maxRequestsPerSecond: Double
        /// Pools without saved state start from what AWS shows (see ``PoolStateMachine``).
        package var baseline: Bool
        /// How much later than its deadline the timer may fire, and how early a due poll may
        /// start to share a wake-up: 2 % of the fastest cadence, between 1 ms and half a second
        /// (under the shortest delay between two polls of a pool). Jitter brings polls earlier
        /// by up to a tenth of their cadence anyway.
        package var leeway: Duration
        /// Whether the actions carry updates for the metrics (off when nobody collects them).
        package var collectsMetrics: Bool

        package init(_ configuration: WatcherConfiguration, baseline: Bool, collectsMetrics: Bool) {
            maxConcurrentPolls = configuration.limits.maxConcurrentPolls
            maxRequestsPerSecond = configuration.limits.maxRequestsPerSecond
            self.baseline = baseline
            self.collectsMetrics = collectsMetrics
            let fastest = configuration.pools.map(\.settings.inProgressInterval).min() ?? configuration.defaults.inProgressInterval
            leeway = min(max(fastest * Self.leewayFraction, Self.shortestLeeway), Self.longestLeeway)
        }

        static let leewayFraction = 0.02
        static let shortestLeeway = Duration.milliseconds(1)
        static let longestLeeway = Duration.milliseconds(500)
    }

    private struct Entry {
        var pool: WatchedPool
        var machine: PoolStateMachine
        var generation: UInt64 = 0
        var dueAt: MonotonicInstant
        /// The state last written to the store (or restored from it).
        var saved: PoolState?
        /// The service's retry-after hint from the last failed poll.
        var retryAfter: Duration?
        /// Recordings in a row that the event sink refused; the pool backs off while it does.
        var refusedRecordings = 0
    }

    private struct InFlight {
        var token: UInt64
        var startedAt: MonotonicInstant
        /// Set once the poll's answer is in and its events and state are being recorded.
        var pending: Pending?
    }

    /// A finished poll waiting for its events to be accepted and its state saved.
    private struct Pending {
        var machine: PoolStateMachine
        var events: [WatchEvent]
        var failure: PollFailure?
    }

    private var settings: Settings
    private var entries: [IdentityPoolID: Entry] = [:]
    private var due = Heap<DuePoll>()
    private var inFlight: [IdentityPoolID: InFlight] = [:]
    private var nextToken: UInt64 = 0
    /// Counted over all pools: a pool removed and added again by a reload must not find its old
    /// heap entries matching its new generations.
    private var lastGeneration: UInt64 = 0
    private var limiter: RequestRateLimiter
    private var regionThrottle = RegionThrottle()
    private var rateLimitedUntil: MonotonicInstant?
    private var tally = PoolTally()
    private var health: Health
    private var random: RandomSource
    /// The wake-up the timer holds, if any.
    private var armed: WakeUp?
    private var stopping = false

    package init(settings: Settings, health: Health, random: any RandomNumberGenerator & Sendable) {
        self.settings = settings
        self.health = health
        self.random = RandomSource(base: random)
        self.limiter = RequestRateLimiter(rate: settings.maxRequestsPerSecond)
    }

    // MARK: - Events

    /// Adds every configured pool, with its saved state, due at once.
    package mutating func start(pools: [WatchedPool], restored: [IdentityPoolID: PoolState], now: MonotonicInstant) -> LoopActions {
        var actions = LoopActions()
        for pool in pools { add(pool, restoring: restored[pool.id], now: now, into: &actions) }
        wakeUp(now: now, into: &actions)
        return actions
    }

    /// The timer fired.
    package mutating func timerFired(now: MonotonicInstant) -> LoopActions {
        armed = nil
        var actions = LoopActions()
        wakeUp(now: now, into: &actions)
        return actions
    }

    /// A poll's answer is in. Either the pool is done (nothing to report or save), or the
    /// actions carry a ``PoolRecord`` to carry out and answer with ``recorded(_:delivered:saved:now:)``.
    package mutating func pollFinished(
        _ id: IdentityPoolID, token: UInt64, result: Result<BulkPublishDetails, PollFailure>, now: MonotonicInstant, wallNow: Date
    ) -> LoopActions {
        var actions = LoopActions()
        // A poll of a pool removed (or cancelled) meanwhile says nothing.
        guard inFlight[id]?.token == token, var entry = entries[id] else { return actions }
        health.lastPollAt = wallNow
        var machine = entry.machine
        let events: [WatchEvent]
        var failure: PollFailure?
        switch result {
        case .success(let details):
            events = machine.observe(details, at: wallNow)
            regionThrottle.recordSuccess(in: entry.pool.region)
            entry.retryAfter = nil
        case .failure(let failed):
            failure = failed
            events = machine.observe(failed, at: wallNow)
            entry.retryAfter = failed.retryAfter
            if failed.kind == .throttled {
                regionThrottle.recordThrottling(in: entry.pool.region, at: now, retryAfter: failed.retryAfter)
            }
            actions.logs.append(.pollFailed(id, failed))
        }
        entries[id] = entry
        let save = Self.differsForStorage(machine.state, entry.saved)
        if events.isEmpty, !save {
            commit(id, machine: machine, failure: failure, now: now, into: &actions)
        } else {
            inFlight[id]?.pending = Pending(machine: machine, events: events, failure: failure)
            actions.record = PoolRecord(pool: id, token: token, events: events, state: save ? machine.state : nil)
        }
        return actions
    }

    /// A ``PoolRecord`` was carried out: its events were accepted by the sink (or not, and then
    /// nothing was saved), and its state saved (or not).
    package mutating func recorded(_ record: PoolRecord, delivered: Bool, saved: Bool, now: MonotonicInstant) -> LoopActions {
        var actions = LoopActions()
        guard let running = inFlight[record.pool], running.token == record.token, let pending = running.pending,
              var entry = entries[record.pool] else { return actions }
        guard delivered else {
            // Not accepted: the old state stays, so the same events are derived again at the
            // next poll; nothing is lost. The pool backs off as after any error, for longer
            // with every refusal in a row.
            entry.refusedRecordings += 1
            let delay = PollSchedule.backoff(afterFailures: entry.refusedRecordings, settings: entry.pool.settings, using: &random)
            entries[record.pool] = entry
            inFlight[record.pool] = nil
            actions.metric(settings, .poll(record.pool, failure: pending.failure, state: entry.machine.state))
            schedule(record.pool, after: delay, now: now)
            wakeUp(now: now, into: &actions)
            return actions
        }
        entry.refusedRecordings = 0
        // Not saved: the events are out; a restart before a later save succeeds may report
        // them again, which at-least-once delivery allows. The next poll tries to save again.
        if let state = record.state, saved { entry.saved = state }
        entries[record.pool] = entry
        if !record.events.isEmpty { actions.metric(settings, .events(record.events)) }
        commit(record.pool, machine: pending.machine, failure: pending.failure, now: now, force: !record.events.isEmpty, into: &actions)
        return actions
    }

    /// Whether ``reload(_:restored:newClient:now:)`` needs the saved states: only for pools it
    /// adds (a pool removed earlier and added back keeps its history).
    package func addsPools(_ configuration: WatcherConfiguration) -> Bool {
        configuration.pools.contains { entries[$0.id] == nil }
    }

    /// A new configuration, without losing state: new pools start polling, removed ones stop,
    /// changed settings take effect at the next poll (an earlier one if the new cadence asks for
    /// it). `newClient`: the AWS settings changed, which may be the fix for pools failing until
    /// now, so those are polled at once.
    package mutating func reload(
        _ configuration: WatcherConfiguration, restored: [IdentityPoolID: PoolState], newClient: Bool, now: MonotonicInstant
    ) -> LoopActions {
        var actions = LoopActions()
        let wanted = Dictionary(configuration.pools.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var summary = ReloadSummary()
        for id in entries.keys where wanted[id] == nil {
            remove(id, into: &actions)
            summary.removed += 1
        }
        for pool in configuration.pools {
            guard var entry = entries[pool.id] else {
                add(pool, restoring: restored[pool.id], now: now, into: &actions)
                summary.added += 1
                continue
            }
            guard entry.pool != pool else { continue }
            summary.changed += 1
            if entry.pool.identity != pool.identity {
                tally.remove(entry.machine.state, identity: entry.pool.identity)
                tally.add(entry.machine.state, identity: pool.identity)
            }
            entry.pool = pool
            entry.machine.pool = pool
            entries[pool.id] = entry
            actions.metric(settings, .track(pool, state: entry.machine.state))
            if inFlight[pool.id] == nil {
                schedule(pool.id, after: nextDelay(entry), now: now, onlyIfEarlier: true)
            }
        }
        if newClient {
            for (id, entry) in entries where entry.machine.state.failure != nil && inFlight[id] == nil {
                schedule(id, after: .zero, now: now, onlyIfEarlier: true)
            }
        }
        let newSettings = Settings(configuration, baseline: settings.baseline, collectsMetrics: settings.collectsMetrics)
        if newSettings.maxRequestsPerSecond != settings.maxRequestsPerSecond {
            limiter = RequestRateLimiter(rate: newSettings.maxRequestsPerSecond)
        }
        settings = newSettings
        summary.pools = entries.count
        actions.logs.append(.reloaded(summary))
        if let status = health.status(summary: tally.summary, force: true) { actions.notifications.append(status) }
        wakeUp(now: now, into: &actions)
        return actions
    }

    /// The time a poll may take at most before the loop counts as stuck, from new client settings.
    package mutating func setLongestLegitimatePoll(_ limit: Duration) {
        health.longestLegitimatePoll = limit
    }

    /// Stops admitting polls and suspends the timer; polls in flight go on.
    package mutating func stop() -> LoopActions {
        var actions = LoopActions()
        stopping = true
        if armed != nil {
            armed = nil
            actions.timer = .suspend
        }
        return actions
    }

    /// Forgets every poll in flight, which the actor cancels: a cancelled poll says nothing
    /// about its pool, so its result must not count as a failure.
    package mutating func abandonPolls() {
        inFlight.removeAll()
    }

    // MARK: - Views

    /// Every pool's current state.
    package var states: [IdentityPoolID: PoolState] { entries.mapValues(\.machine.state) }

    /// When the next poll is due.
    package var nextDue: MonotonicInstant? { due.min?.dueAt }

    /// The wake-up the timer holds.
    package var armedWakeUp: WakeUp? { armed }

    /// Polls in flight.
    package var inFlightCount: Int { inFlight.count }

    /// The line last sent as `STATUS=`.
    package var statusLine: String? { health.statusLine }

    /// Each pool of `order` the loop watches: its state, and its next poll on the wall clock.
    package func poolViews(order: [WatchedPool], now: MonotonicInstant, wallNow: Date) -> [PoolView] {
        order.compactMap { pool in
            guard let entry = entries[pool.id] else { return nil }
            return PoolView(
                pool: entry.pool, state: entry.machine.state, nextPoll: wallNow.addingTimeInterval((entry.dueAt - now).seconds),
                polling: inFlight[pool.id] != nil)
        }
    }

    // MARK: - Admission

    /// Starts every due poll the limits allow (those due within the leeway too, so polls due
    /// close together share this wake-up), pings the watchdog, and arms the timer.
    private mutating func wakeUp(now: MonotonicInstant, into actions: inout LoopActions) {
        guard !stopping else { return }
        if let until = rateLimitedUntil, until > now {
            checkHealth(now: now, into: &actions)
            arm(now: now, into: &actions)
            return
        }
        rateLimitedUntil = nil
        let horizon = now + settings.leeway
        while let top = due.min, top.dueAt <= horizon, inFlight.count < settings.maxConcurrentPolls {
            _ = due.removeMin()
            guard let entry = entries[top.pool], entry.generation == top.generation, inFlight[top.pool] == nil else { continue }
            if let until = regionThrottle.pausedUntil(region: entry.pool.region, at: now) {
                // The region is throttled: this pool waits too, spread over a second so the
                // region's pools do not all come back at once.
                schedule(top.pool, after: (until - now) + .seconds(random.nextUnit()), now: now)
                continue
            }
            if let wait = limiter.acquire(at: now) {
                due.insert(top)
                // Behind the rate limit: come back when a batch of tokens is there rather than
                // for each one, so a rate-limited poll costs no more wake-ups than another, and
                // the wake-up then releases every poll its tokens allow.
                rateLimitedUntil = now + max(wait, Self.rateLimitBatch)
                break
            }
            nextToken += 1
            inFlight[top.pool] = InFlight(token: nextToken, startedAt: now)
            actions.polls.append(PollStart(pool: entry.pool, token: nextToken))
        }
        checkHealth(now: now, into: &actions)
        arm(now: now, into: &actions)
    }

    private mutating func checkHealth(now: MonotonicInstant, into actions: inout LoopActions) {
        let oldest = inFlight.values.lazy.map(\.startedAt).min()
        let (notifications, stuckFor) = health.wakeUp(at: now, oldestPoll: oldest, summary: tally.summary)
        actions.notifications += notifications
        if let stuckFor { actions.logs.append(.stuckPoll(stuckFor)) }
    }

    /// Arms the timer for the next due poll (unless every poll slot is busy: a finishing poll
    /// wakes the loop then), the end of a rate-limit wait, or the next watchdog ping, whichever
    /// comes first. The timer is re-armed only for an earlier deadline: one that comes too
    /// early finds nothing due and arms again, which costs less than re-arming at every poll.
    /// With nothing due at all it is suspended.
    private mutating func arm(now: MonotonicInstant, into actions: inout LoopActions) {
        // Entries left behind by a reschedule or a removed pool must not keep the timer armed.
        while let top = due.min, entries[top.pool]?.generation != top.generation {
            _ = due.removeMin()
        }
        var next: WakeUp?
        if inFlight.count < settings.maxConcurrentPolls, let dueAt = due.min?.dueAt {
            next = WakeUp(deadline: max(dueAt, rateLimitedUntil ?? dueAt), leeway: settings.leeway)
        }
        if let ping = health.nextPing(after: now), ping < next?.deadline ?? .init(sinceOrigin: .longest) {
            next = WakeUp(deadline: ping, leeway: Self.pingLeeway)
        }
        guard let next else {
            if armed != nil {
                armed = nil
                actions.timer = .suspend
            }
            return
        }
        if let armed, armed.deadline <= next.deadline { return }
        armed = next
        actions.timer = .arm(next)
    }

    // MARK: - Pools

    /// Makes a finished poll's state the pool's, and schedules its next poll.
    private mutating func commit(
        _ id: IdentityPoolID, machine: PoolStateMachine, failure: PollFailure?, now: MonotonicInstant, force: Bool = false,
        into actions: inout LoopActions
    ) {
        guard var entry = entries[id] else { return }
        inFlight[id] = nil
        let counted = tally.summary
        tally.replace(entry.machine.state, with: machine.state, identity: entry.pool.identity)
        entry.machine = machine
        entries[id] = entry
        actions.metric(settings, .poll(id, failure: failure, state: machine.state))
        schedule(id, after: nextDelay(entry), now: now)
        if force || tally.summary != counted, let status = health.status(summary: tally.summary, force: force) {
            actions.notifications.append(status)
        }
        wakeUp(now: now, into: &actions)
    }

    private mutating func nextDelay(_ entry: Entry) -> Duration {
        PollSchedule.delay(after: entry.machine.state, settings: entry.pool.settings, retryAfter: entry.retryAfter, using: &random)
    }

    private mutating func add(_ pool: WatchedPool, restoring state: PoolState?, now: MonotonicInstant, into actions: inout LoopActions) {
        let machine = PoolStateMachine(pool: pool, restoring: state, baseline: settings.baseline)
        entries[pool.id] = Entry(pool: pool, machine: machine, dueAt: now, saved: state)
        tally.add(machine.state, identity: pool.identity)
        actions.metric(settings, .track(pool, state: machine.state))
        schedule(pool.id, after: .zero, now: now)
    }

    private mutating func remove(_ id: IdentityPoolID, into actions: inout LoopActions) {
        if inFlight.removeValue(forKey: id) != nil {
            actions.cancellations.append(id)
        }
        if let entry = entries.removeValue(forKey: id) {
            tally.remove(entry.machine.state, identity: entry.pool.identity)
        }
        actions.metric(settings, .forget(id))
    }

    private mutating func schedule(_ id: IdentityPoolID, after delay: Duration, now: MonotonicInstant, onlyIfEarlier: Bool = false) {
        guard var entry = entries[id] else { return }
        let dueAt = now + delay
        if onlyIfEarlier, entry.dueAt <= dueAt { return }
        lastGeneration &+= 1
        entry.generation = lastGeneration
        entry.dueAt = dueAt
        entries[id] = entry
        due.insert(DuePoll(dueAt: dueAt, pool: id, generation: entry.generation))
    }

    /// Whether `state` must be written: anything but the time of the last poll changed.
    private static func differsForStorage(_ state: PoolState, _ saved: PoolState?) -> Bool {
        guard var saved else { return true }
        saved.lastObservedAt = state.lastObservedAt
        return saved != state
    }

    /// How long the loop waits at least once the rate limit holds polls back: it then starts
    /// up to a tenth of a second's worth of polls in one wake-up.
    static let rateLimitBatch = Duration.milliseconds(100)

    /// How late a watchdog ping may come: pings go out at half the interval, so a second late
    /// is harmless, and lets the ping share a wake-up with a poll.
    static let pingLeeway = Duration.seconds(1)
}

/// What the loop is to do after an event, in this order: cancel, start polls, record, notify,
/// set the timer. Logging and metrics go along.
package struct LoopActions {
    /// Polls of pools a reload removed: cancel them.
    package var cancellations: [IdentityPoolID] = []
    /// Polls to start.
    package var polls: [PollStart] = []
    /// A finished poll's events to report and state to save, off the loop's thread.
    package var record: PoolRecord?
    /// For systemd.
    package var notifications: [ServiceNotification] = []
    /// The timer.
    package var timer: TimerAction = .keep
    /// What to log.
    package var logs: [LoopLog] = []
    /// What the metrics are to show.
    package var metrics: [MetricUpdate] = []

    package init() {}

    /// Adds `update` when metrics are collected; not even built otherwise.
    mutating func metric(_ settings: LoopStateMachine.Settings, _ update: @autoclosure () -> MetricUpdate) {
        if settings.collectsMetrics { metrics.append(update()) }
    }
}

/// One poll to start: `token` comes back with its result.
package struct PollStart: Equatable, Sendable {
    package var pool: WatchedPool
    package var token: UInt64
}

/// What to do with the timer.
package enum TimerAction: Equatable, Sendable {
    /// The armed wake-up still serves.
    case keep
    case arm(WakeUp)
    /// Nothing is due: no wake-up at all.
    case suspend
}

/// A finished poll's events to report, then its state to save: in that order, so that a crash
/// in between reports the events again (at least once) rather than never.
package struct PoolRecord: Equatable, Sendable {
    package var pool: IdentityPoolID
    package var token: UInt64
    package var events: [WatchEvent]
    /// `nil` when the saved state still holds.
    package var state: PoolState?
}

/// A line for the log.
package enum LoopLog: Equatable, Sendable {
    case pollFailed(IdentityPoolID, PollFailure)
    case stuckPoll(Duration)
    case reloaded(ReloadSummary)
}

/// What a reload changed.
package struct ReloadSummary: Equatable, Sendable {
    package var added = 0, removed = 0, changed = 0, pools = 0
}

/// A change the pool metrics are to show.
package enum MetricUpdate: Equatable, Sendable {
    case track(WatchedPool, state: PoolState)
    case forget(IdentityPoolID)
    case poll(IdentityPoolID, failure: PollFailure?, state: PoolState)
    case events([WatchEvent])
}

/// Holds whichever generator was injected, as a concrete type the scheduling functions accept.
struct RandomSource: RandomNumberGenerator, Sendable {
    var base: any RandomNumberGenerator & Sendable

    mutating func next() -> UInt64 {
        base.next()
    }
}
