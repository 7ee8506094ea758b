import DaemonTestSupport
import Daemon
import Dispatch
import Foundation
import Logging
import Model

/// A watch loop wired to fakes: a manual clock, a scripted fetcher, a recording sink and
/// notifier, and a store.
struct LoopHarness {
    static let a = try! IdentityPoolID(validating: "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10")
    static let b = try! IdentityPoolID(validating: "us-east-1:5d2e7f1a-3b4c-4d5e-8f60-718293a4b5c6")
    static let c = try! IdentityPoolID(validating: "eu-west-1:9e8d7c6b-5a49-4382-b716-a5f4e3d2c1b0")
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    let scheduler: ManualScheduler
    let fetcher: ScriptedFetcher
    let sink: RecordingSink
    let notifier: RecordingNotifier
    let store: any PoolStateStore
    let loop: WatchLoop

    static let settings = PoolSettings(
        inProgressInterval: .seconds(30), idleInterval: .seconds(600), finishedInterval: .seconds(300), stallAfter: .seconds(3600),
        reportErrorsAfter: 3, jitter: 0, errorBackoffBase: .seconds(5), errorBackoffMax: .seconds(300)
    )

    static func configuration(_ pools: [IdentityPoolID], settings: PoolSettings = settings, limits: RequestLimits = RequestLimits(maxRequestsPerSecond: 100, maxConcurrentPolls: 8, requestTimeout: .seconds(10))) -> WatcherConfiguration {
        WatcherConfiguration(limits: limits, defaults: settings, pools: pools.map { WatchedPool(id: $0, name: "pool-\($0.rawValue.suffix(4))", settings: settings) })
    }

    init(
        configuration: WatcherConfiguration,
        scripts: [IdentityPoolID: [(Double, ScriptedFetcher.Answer)]] = [:],
        store: any PoolStateStore = MemoryStateStore(),
        sink: RecordingSink = RecordingSink(),
        notifier: RecordingNotifier = RecordingNotifier(),
        scheduler: ManualScheduler = ManualScheduler(),
        metrics: PoolMetrics? = nil
    ) {
        self.scheduler = scheduler
        self.fetcher = ScriptedFetcher(clock: scheduler, scripts: scripts)
        self.sink = sink
        self.notifier = notifier
        self.store = store
        self.loop = WatchLoop(
            configuration: configuration, fetcher: fetcher, sink: sink, store: store, notifier: notifier,
            scheduler: scheduler, executor: QueueExecutor(queue: DispatchQueue(label: "test-loop")),
            random: SplitMix(state: 42), metrics: metrics, logger: Self.quiet
        )
    }

    func start() async {
        await loop.start()
        await loop.settle()
    }

    func advance(by seconds: Double) async {
        await scheduler.advance(by: .seconds(seconds)) { await loop.settle() }
    }
}

/// Shorthands for scripted answers; times are seconds after the first poll.
enum Answer {
    static let epoch = 1_800_000_000.0

    static func details(_ status: BulkPublishStatus, start: Double? = nil, complete: Double? = nil, failure: String? = nil) -> ScriptedFetcher.Answer {
        .success(BulkPublishDetails(
            status: status, startTime: start.map { Date(timeIntervalSince1970: epoch + $0) },
            completeTime: complete.map { Date(timeIntervalSince1970: epoch + $0) }, failureMessage: failure
        ))
    }

    static func failure(_ kind: PollFailure.Kind, _ code: String, retryAfter: Duration? = nil) -> ScriptedFetcher.Answer {
        .failure(PollFailure(kind: kind, code: code, message: "\(code) from the script", retryAfter: retryAfter))
    }
}
