import DaemonTestSupport
import Daemon
import Foundation
import Logging
import Model
import Synchronization

/// A launcher that answers each run from a script (one result per call, the last repeated),
/// records what it was given, and can hold runs until released.
final class ScriptedLauncher: HookLauncher {
    struct Call: Sendable {
        var command: HookCommand
        var environment: [String: String]
        var input: String
        var timeout: Duration
    }

    private let state = Mutex<(results: [HookRunResult], calls: [Call], held: Bool, running: Int, mostRunning: Int)>(
        ([], [], false, 0, 0))
    private let released = AsyncStream<Void>.makeStream()

    init(_ results: [HookRunResult], holding: Bool = false) {
        state.withLock { $0.results = results; $0.held = holding }
    }

    func run(_ command: HookCommand, environment: [String: String], inputPath: String, timeout: Duration) async -> HookRunResult {
        let input = (try? String(contentsOfFile: inputPath, encoding: .utf8)) ?? ""
        let (result, held) = state.withLock { state -> (HookRunResult, Bool) in
            state.calls.append(Call(command: command, environment: environment, input: input, timeout: timeout))
            state.running += 1
            state.mostRunning = max(state.mostRunning, state.running)
            let result = state.results.count > 1 ? state.results.removeFirst() : state.results.first ?? .exited(status: 0, output: "")
            return (result, state.held)
        }
        if held {
            // Held until released, or killed (cancelled) like a process at a stop.
            await withTaskCancellationHandler {
                for await _ in released.stream { break }
            } onCancel: {}
        }
        state.withLock { $0.running -= 1 }
        return Task.isCancelled ? .killedBySignal(9, output: "") : result
    }

    /// Lets every held run (now and later) finish.
    func release() {
        state.withLock { $0.held = false }
        released.continuation.finish()
    }

    var calls: [Call] { state.withLock { $0.calls } }
    var mostRunning: Int { state.withLock { $0.mostRunning } }

    /// Returns once `count` runs have started.
    func waitForCalls(_ count: Int) async {
        while state.withLock({ $0.calls.count }) < count { await Task.yield() }
    }
}

/// Records the waits between retries and returns at once: backoff without real time.
final class RecordingSleep: Sendable {
    private let recorded = Mutex<[Duration]>([])

    var sleep: Sleep {
        { [self] duration in
            try Task.checkCancellation()
            recorded.withLock { $0.append(duration) }
        }
    }

    var durations: [Duration] { recorded.withLock { $0 } }
}

/// A spool that refuses every event, like a full disk.
struct RefusingSpool: HookSpool {
    struct DiskFull: Error {}
    func add(_ payload: HookPayload) throws -> SpooledHook { throw DiskFull() }
    func pending() -> (hooks: [SpooledHook], warnings: [String]) { ([], []) }
    func inputPath(for hook: SpooledHook) -> String { "/nonexistent" }
    func remove(_ hook: SpooledHook) throws {}
}

/// Keeps every log message with its level and metadata.
final class RecordingLogHandler: LogHandler, Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
        entries.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", metadata: fields)) }
    }

    var logged: [Entry] { entries.withLock { $0 } }

    var logger: Logger { Logger(label: "test") { _ in self } }
}

/// A failed event of pool `number`, as the state machine makes them.
enum HookFixture {
    static func pool(_ number: Int) -> IdentityPoolID {
        (try? IdentityPoolID(validating: String(format: "us-east-1:00000000-0000-4000-8000-%012d", number)))
            ?? { preconditionFailure("a valid test pool id") }()
    }

    static func event(_ kind: WatchEvent.Kind = .failed, pool number: Int = 1, startedAt: Double = 1_800_000_000) -> WatchEvent {
        let pool = pool(number)
        return WatchEvent(
            kind: kind, poolID: pool, poolName: "pool-\(number)", previousStatus: .inProgress,
            status: kind == .failed ? .failed : kind == .succeeded ? .succeeded : .inProgress,
            startTime: Date(timeIntervalSince1970: startedAt), failureMessage: kind == .failed ? "access denied" : nil,
            observedAt: Date(timeIntervalSince1970: startedAt + 60),
            identity: "\(pool)/\(Int64(startedAt * 1000))/\(kind.rawValue)")
    }

    static let failedCommand = HookCommand(executable: "/usr/local/bin/page-oncall", arguments: ["--team", "data"])
}
