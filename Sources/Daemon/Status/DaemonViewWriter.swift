public import Foundation
public import Logging
public import Model
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Keeps the daemon's status file (``DaemonView``) up to date for `daemon-status`.
///
/// The file is rewritten soon after a pool's state changes (once for a burst of changes) and at
/// least every `refresh`, so that the time of each pool's last poll and its next poll stay
/// current without a write per poll; a last time at stop, marked stopped. Each write replaces
/// the file whole (a temporary file, fsynced, renamed over it), with mode 0640: the unit's
/// runtime directory belongs to the admin group, whose members may read it.
///
/// With many pools a view is large (about 450 bytes a pool), so writes after changes come no
/// closer together than twenty times what the last one cost: the writer stays under 5 % of a
/// core however many pools change. Writes run off the loop; only taking the view is on it.
public actor DaemonViewWriter {
    /// The status file.
    public nonisolated let file: URL
    private let refresh: Duration
    private let debounce: Duration
    private let logger: Logger
    private let sleep: Sleep
    private let pid: Int32
    private let startedAt: Date
    private var source: (@Sendable () async -> [PoolView])?
    private var refreshTask: Task<Void, Never>?
    /// The latest write asked for; each waits for the one before, so views never go back in time.
    private var lastWrite: Task<Void, Never>?
    private var lastWrittenAt = ContinuousClock.now
    private var lastCost: Duration = .zero
    private var stoppedAt: Date?
    /// A write after a change is already on its way.
    private let changePending = Atomic<Bool>(false)
    /// Why the last write failed, so a lasting failure is logged once, and its end too.
    private var lastFailure: String?

    /// The share of a core the writes after changes may take at most, as a factor on the cost.
    static let costFactor = 20

    public init(file: URL, refresh: Duration = .seconds(30), debounce: Duration = .seconds(1), sleep: @escaping Sleep = taskSleep, logger: Logger) {
        self.file = file
        self.refresh = refresh
        self.debounce = debounce
        self.sleep = sleep
        self.logger = logger
        pid = getpid()
        startedAt = Date()
    }

    /// Writes the first view (taken from `source`) and keeps the file fresh until ``stop()``.
    public func start(source: @escaping @Sendable () async -> [PoolView]) async {
        self.source = source
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            // Written down by the write below, once.
            logger.debug("cannot create the folder of the status file", metadata: ["error": "\(error)"])
        }
        await enqueueWrite().value
        logger.info("writing the status file for daemon-status", metadata: ["file": "\(file.path)"])
        refreshTask = Task { [weak self, sleep] in
            while !Task.isCancelled {
                guard let wait = await self?.untilRefresh() else { return }
                try? await sleep(wait)
                guard !Task.isCancelled else { return }
                await self?.refreshIfDue()
            }
        }
    }

    /// Something a view shows changed: the file is rewritten soon, once for a burst. Cheap, and
    /// callable from any thread (the loop calls it through ``ChangeSignallingStateStore``).
    public nonisolated func changed() {
        guard !changePending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task { await self.writeAfterChange() }
    }

    /// Writes the last view, marked stopped, and ends the refreshes. The source must still
    /// answer (stop the loop's polls first, not its executor).
    public func stop() async {
        guard stoppedAt == nil, source != nil else { return }
        refreshTask?.cancel()
        stoppedAt = Date()
        await enqueueWrite().value
    }

    // MARK: - Writing

    private func writeAfterChange() async {
        let gap = max(debounce, lastCost * Self.costFactor)
        try? await sleep(gap)
        guard stoppedAt == nil else { return }
        // Cleared before the view is taken: a change from now on asks for another write.
        changePending.store(false, ordering: .releasing)
        await enqueueWrite().value
    }

    private func untilRefresh() -> Duration {
        max(.zero, refresh - (ContinuousClock.now - lastWrittenAt))
    }

    private func refreshIfDue() async {
        // A write after a change may have come in between.
        guard stoppedAt == nil, ContinuousClock.now - lastWrittenAt >= refresh * 0.99 else { return }
        await enqueueWrite().value
    }

    private func enqueueWrite() -> Task<Void, Never> {
        let previous = lastWrite
        let task = Task {
            await previous?.value
            await self.write()
        }
        lastWrite = task
        return task
    }

    private func write() async {
        let began = ContinuousClock.now
        let pools = await source?() ?? []
        let view = DaemonView(
            version: BuildInfo.version, pid: pid, startedAt: startedAt, writtenAt: Date(),
            refreshSeconds: refresh.seconds,
            stoppedAt: stoppedAt, pools: pools)
        let failure: String?
        do {
            let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).tmp")
            try DurableFile.replace(file, with: try view.encoded(), temporary: temporary, permissions: 0o640)
            failure = nil
        } catch {
            failure = "\(error)"
        }
        lastWrittenAt = ContinuousClock.now
        lastCost = lastWrittenAt - began
        if let failure, failure != lastFailure {
            logger.warning("cannot write the status file; daemon-status shows an older view or none", metadata: [
                "file": "\(file.path)", "error": "\(failure)",
            ])
        } else if failure == nil, lastFailure != nil {
            logger.notice("the status file is written again", metadata: ["file": "\(file.path)"])
        }
        lastFailure = failure
    }
}
