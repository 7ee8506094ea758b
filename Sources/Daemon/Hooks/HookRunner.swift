import AWSCore
import Foundation
public import Logging
public import Model

/// Runs the hooks of spooled events, off the poll path: each event in a task of its own, at
/// most ``maximumConcurrentRuns`` processes at once, a failed run retried after the waits of the
/// settings' ``HookRetrySchedule`` (slept through the injected `sleep`, so tests need no real
/// time). An entry leaves the spool only when its hook succeeded or ran out of attempts; what a
/// stop or crash interrupts runs again at the next start, with a fresh set of attempts.
public actor HookRunner {
    /// Processes running at once; the rest wait for a free slot (not for each other's retries).
    public static let maximumConcurrentRuns = 4
    /// The most bytes of a run's output one journal entry carries.
    public static let loggedOutputLimit = 2_048

    private let spool: any HookSpool
    private let launcher: any HookLauncher
    private let settings: CurrentHookSettings
    private let inherited: [String: String]
    private let sleep: Sleep
    private let logger: Logger

    private var tasks: [String: Task<Void, Never>] = [:]
    private var running = 0
    private var waitingForSlot: [CheckedContinuation<Void, Never>] = []
    private var stopped = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// `environment` is the daemon's own: hooks inherit it, less what ``HookPayload`` withholds.
    public init(
        spool: any HookSpool, launcher: any HookLauncher, settings: CurrentHookSettings, environment: [String: String],
        sleep: @escaping Sleep = taskSleep, logger: Logger
    ) {
        self.spool = spool
        self.launcher = launcher
        self.settings = settings
        inherited = environment
        self.sleep = sleep
        self.logger = logger
    }

    /// Starts the hooks that were still waiting when the daemon last stopped (or was killed).
    public func start() {
        let (hooks, warnings) = spool.pending()
        for warning in warnings { logger.warning("\(warning)") }
        if !hooks.isEmpty {
            logger.notice("running the hooks left waiting by the previous run", metadata: ["hooks": "\(hooks.count)"])
        }
        enqueue(hooks)
    }

    /// Runs the hooks of `hooks`, except those already under way.
    public func enqueue(_ hooks: [SpooledHook]) {
        guard !stopped else { return }
        for hook in hooks where tasks[hook.name] == nil {
            tasks[hook.name] = Task { await self.deliver(hook) }
        }
    }

    /// Kills the runs under way and waits for them; their events stay in the spool.
    public func stop() async {
        stopped = true
        let underWay = Array(tasks.values)
        for task in underWay { task.cancel() }
        // Each waiter gets a slot (counted), sees the cancellation and hands it back.
        for waiter in waitingForSlot {
            running += 1
            waiter.resume()
        }
        waitingForSlot.removeAll()
        for task in underWay { await task.value }
    }

    /// Returns once no hook is running or waiting for a retry.
    public func idle() async {
        guard !tasks.isEmpty else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    // MARK: - One event

    private func deliver(_ hook: SpooledHook) async {
        defer { finished(hook) }
        var attempt = 1
        while !Task.isCancelled {
            let current = settings.value
            var metadata: Logger.Metadata = [
                "pool": "\(hook.payload.poolId)", "event": "\(hook.payload.event)", "event_id": "\(hook.payload.eventId)",
            ]
            guard let kind = hook.kind, let command = current.commands[kind] else {
                // The configuration no longer has a hook for it (a reload removed it).
                logger.notice("no hook is configured for this event any more; it is dropped", metadata: metadata)
                forget(hook, metadata: metadata)
                return
            }
            metadata["command"] = "\(command.displayed)"
            metadata["attempt"] = "\(attempt)/\(current.attempts)"
            await acquireSlot()
            if Task.isCancelled {
                releaseSlot()
                return
            }
            let result = await launcher.run(
                command, environment: hook.payload.environment(inheriting: inherited),
                inputPath: spool.inputPath(for: hook), timeout: current.timeout)
            releaseSlot()
            // Killed by a stop: the entry stays for the next start.
            if Task.isCancelled { return }
            let output = Self.loggable(result.output)
            if !output.isEmpty { metadata["output"] = "\(output)" }
            let how = result.summary(timeout: current.timeout, executable: command.executable)
            if result.succeeded {
                logger.notice("hook ran", metadata: metadata)
                forget(hook, metadata: metadata)
                return
            }
            guard let delay = current.retrySchedule.delay(afterFailedAttempt: attempt) else {
                let attempts = "\(attempt) attempt\(attempt == 1 ? "" : "s")"
                logger.error(
                    "hook for the \(hook.payload.event) event of pool \(hook.payload.poolId) \(how); giving up after \(attempts)",
                    metadata: metadata)
                forget(hook, metadata: metadata)
                return
            }
            logger.warning("hook \(how); trying again in \(EventText.duration(delay))", metadata: metadata)
            do {
                try await sleep(delay)
            } catch {
                return
            }
            attempt += 1
        }
    }

    private func forget(_ hook: SpooledHook, metadata: Logger.Metadata) {
        do {
            try spool.remove(hook)
        } catch {
            // It runs again at the next start: at least once, as promised.
            logger.error("could not remove a finished hook from the spool; it runs again at the next start",
                         metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }

    private func finished(_ hook: SpooledHook) {
        tasks[hook.name] = nil
        if tasks.isEmpty {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }

    // MARK: - Slots

    private func acquireSlot() async {
        if running < Self.maximumConcurrentRuns || stopped {
            running += 1
            return
        }
        await withCheckedContinuation { waitingForSlot.append($0) }
        // The slot was handed over by the releasing run (or the stop), already counted.
    }

    private func releaseSlot() {
        if !waitingForSlot.isEmpty, !stopped {
            waitingForSlot.removeFirst().resume()
        } else {
            running -= 1
        }
    }

    /// A run's output as one journal field: one line, bounded, with key-like strings hidden.
    static func loggable(_ output: String) -> String {
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return OneLineText.sanitize(SecretLikeText.redactingKeys(trimmed), maximumBytes: loggedOutputLimit)
    }
}
