import Foundation
public import Logging
public import Model

/// The daemon's main loop: carries out what its ``LoopStateMachine`` decides. It starts polls,
/// records their events and state, arms the one timer and keeps systemd informed.
///
/// The actor runs on its ``LoopExecutor`` (in the daemon, the event loop that owns the HTTP
/// connections); the scheduler's single timer wakes it when the next poll is due. Polls are
/// tasks that prefer the same executor: they run concurrently up to the configured limit,
/// interleaved on that one thread, and report back to the loop without changing threads. Only
/// a poll whose events must be reported or whose state must be saved leaves that thread, for
/// the file work (``FileWorker``).
public actor WatchLoop {
    nonisolated let executor: any LoopExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private var core: LoopStateMachine
    private var configuration: WatcherConfiguration
    private var fetcher: any DetailsFetcher
    private let sink: any EventSink
    private let store: any PoolStateStore
    private let notifier: any ServiceNotifier
    private let scheduler: any LoopScheduler
    private let logger: Logger
    private var metrics: PoolMetrics?
    private let files = FileWorker()
    /// The task of each poll in flight, with the token the state machine knows it by.
    private var polls: [IdentityPoolID: (token: UInt64, task: Task<Void, Never>)] = [:]
    private var started = false
    private var stopped = false

    /// Everything the loop talks to is handed in, so tests drive it with fakes and a manual clock.
    ///
    /// - Parameter longestLegitimatePoll: past this, a poll in flight stops the watchdog pings
    ///   (see ``PollBudget``); by default derived from the configured request timeout.
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
        longestLegitimatePoll: Duration? = nil,
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
        self.metrics = metrics
        self.logger = logger
        let health = Health(
            watchdogInterval: notifier.watchdogInterval,
            longestLegitimatePoll: Self.pollBudget(longestLegitimatePoll, configuration))
        core = LoopStateMachine(
            settings: LoopStateMachine.Settings(configuration, baseline: baseline, collectsMetrics: metrics != nil), health: health, random: random)
    }

    // MARK: - Life cycle

    /// Restores the saved state and schedules every pool's first poll, now. Returns the
    /// warnings from restoring (state files moved aside).
    @discardableResult
    public func start() async -> [String] {
        guard !started else { return [] }
        started = true
        let store = self.store
        let (states, warnings) = await files.run { store.loadAll() }
        for warning in warnings { logger.warning("\(warning)") }
        scheduler.setHandler { [weak self] in await self?.timerFired() }
        logger.info("watching", metadata: [
            "pools": "\(configuration.pools.count)", "restored": "\(states.count)",
            "regions": "\(configuration.regions.joined(separator: ","))",
        ])
        perform(core.start(pools: configuration.pools, restored: states, now: scheduler.now()))
        return warnings
    }

    /// Applies a new configuration without losing state (see ``LoopStateMachine/reload(_:restored:newClient:now:)``).
    /// A new fetcher comes with new AWS settings: pools failing until now are polled at once.
    public func reload(
        configuration new: WatcherConfiguration, fetcher newFetcher: (any DetailsFetcher)? = nil, longestLegitimatePoll: Duration? = nil
    ) async {
        guard !stopped else { return }
        if let newFetcher { fetcher = newFetcher }
        var saved: [IdentityPoolID: PoolState] = [:]
        if core.addsPools(new) {
            let store = self.store
            saved = await files.run { store.loadAll().states }
        }
        core.setLongestLegitimatePoll(Self.pollBudget(longestLegitimatePoll, new))
        configuration = new
        perform(core.reload(new, restored: saved, newClient: newFetcher != nil, now: scheduler.now()))
    }

    /// Stops scheduling, gives polls in flight `gracePeriod` to finish (their results are
    /// reported and saved), then cancels the rest. Returns once the last state write is done.
    public func stop(gracePeriod: Duration) async {
        guard !stopped else { return }
        stopped = true
        logger.info("stopping", metadata: ["in flight": "\(polls.count)"])
        perform(core.stop())
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: gracePeriod)
            await self?.abandonPolls()
        }
        await settle()
        deadline.cancel()
        await files.drain()
    }

    /// Waits until no poll is in flight. Tests call it after moving the clock.
    public func settle() async {
        while let next = polls.values.first { await next.task.value }
    }

    /// The current state of every pool, for status output and tests.
    public var states: [IdentityPoolID: PoolState] { core.states }

    /// When the next poll is due, for tests and diagnostics.
    public var nextDue: MonotonicInstant? { core.nextDue }

    /// The one-line summary last sent as `STATUS=`.
    public var statusLine: String? { core.statusLine }

    /// Every pool as the loop sees it now, in the configuration's order, for the daemon's status
    /// file: its state, and its next poll on the wall clock (or that one is under way).
    public func snapshot() -> [PoolView] {
        core.poolViews(order: configuration.pools, now: scheduler.now(), wallNow: scheduler.wallNow())
    }

    /// The longest legitimate poll given, else the one `configuration`'s request timeout makes
    /// with the default retry settings.
    private static func pollBudget(_ given: Duration?, _ configuration: WatcherConfiguration) -> Duration {
        given ?? PollBudget.longestLegitimatePoll(requestTimeout: configuration.limits.requestTimeout)
    }

    // MARK: - Carrying out the decisions

    private func timerFired() {
        perform(core.timerFired(now: scheduler.now()))
    }

    private func perform(_ actions: LoopActions) {
        for id in actions.cancellations {
            polls.removeValue(forKey: id)?.task.cancel()
        }
        for start in actions.polls { startPoll(start) }
        if !actions.notifications.isEmpty { notifier.notify(actions.notifications) }
        switch actions.timer {
        case .keep: break
        case .arm(let wakeUp): scheduler.arm(wakeUp)
        case .suspend: scheduler.arm(nil)
        }
        for line in actions.logs { log(line) }
        if !actions.metrics.isEmpty { apply(actions.metrics) }
    }

    private func startPoll(_ start: PollStart) {
        let fetcher = self.fetcher
        // On the loop's own executor from start to finish (see LoopExecutor): no hop to the
        // global pool and back.
        let task = Task(executorPreference: executor) {
            let result = await fetcher.fetchDetails(for: start.pool)
            await self.finish(start, result: result)
        }
        polls[start.pool.id] = (start.token, task)
    }

    private func finish(_ start: PollStart, result: Result<BulkPublishDetails, PollFailure>) async {
        let id = start.pool.id
        let actions = core.pollFinished(id, token: start.token, result: result, now: scheduler.now(), wallNow: scheduler.wallNow())
        perform(actions)
        if let record = actions.record {
            let outcome = await self.record(record)
            perform(core.recorded(record, delivered: outcome.delivered, saved: outcome.saved, now: scheduler.now()))
        }
        if polls[id]?.token == start.token { polls[id] = nil }
    }

    /// Reports a finished poll's events, then saves its state, on the file worker's thread.
    private func record(_ record: PoolRecord) async -> (delivered: Bool, saved: Bool) {
        let sink = self.sink, store = self.store, logger = self.logger
        let work: @Sendable () -> (delivered: Bool, saved: Bool) = {
            if !record.events.isEmpty {
                do {
                    try sink.deliver(record.events)
                } catch {
                    logger.error("could not report events; they will be reported again", metadata: [
                        "pool": "\(record.pool)", "events": "\(record.events.count)", "error": "\(error)",
                    ])
                    return (false, false)
                }
            }
            guard let state = record.state else { return (true, true) }
            do {
                try store.save(state, for: record.pool)
                return (true, true)
            } catch {
                logger.error("could not save state", metadata: ["pool": "\(record.pool)", "error": "\(error)"])
                return (true, false)
            }
        }
        return await files.run(work)
    }

    /// Cancels every poll in flight and forgets them.
    private func abandonPolls() {
        core.abandonPolls()
        for (_, running) in polls { running.task.cancel() }
        polls.removeAll()
    }

    private func log(_ line: LoopLog) {
        switch line {
        case .pollFailed(let id, let failure):
            logger.debug("poll failed", metadata: ["pool": "\(id)", "error": "\(failure)"])
        case .stuckPoll(let duration):
            logger.warning("a poll has been in flight too long; not pinging the watchdog", metadata: [
                "seconds": "\(Int(duration.seconds))",
            ])
        case .reloaded(let summary):
            logger.notice("configuration reloaded", metadata: [
                "added": "\(summary.added)", "removed": "\(summary.removed)", "changed": "\(summary.changed)", "pools": "\(summary.pools)",
            ])
        }
    }

    private func apply(_ updates: [MetricUpdate]) {
        guard var metrics else { return }
        for update in updates {
            switch update {
            case .track(let pool, let state): metrics.track(pool, state: state)
            case .forget(let id): metrics.forget(id)
            case .poll(let id, let failure, let state): metrics.recordPoll(of: id, failure: failure, state: state)
            case .events(let events): metrics.recordEvents(events)
            }
        }
        self.metrics = metrics
    }
}
