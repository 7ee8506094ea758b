public import Daemon
public import Model
import Synchronization

/// Records every event delivered, in order; can be told to refuse them.
public final class RecordingSink: EventSink {
    private let recorded = Mutex<[WatchEvent]>([])
    private let refusing = Mutex(false)

    public struct Refused: Error {}

    public init() {}

    public func deliver(_ events: [WatchEvent]) throws {
        if refusing.withLock({ $0 }) { throw Refused() }
        recorded.withLock { $0 += events }
    }

    public func refuse(_ value: Bool) { refusing.withLock { $0 = value } }
    public var events: [WatchEvent] { recorded.withLock { $0 } }
    public var kinds: [WatchEvent.Kind] { events.map(\.kind) }
    public func kinds(of pool: IdentityPoolID) -> [WatchEvent.Kind] { events.filter { $0.poolID == pool }.map(\.kind) }

    /// Identities delivered more than once: a transition reported twice.
    public var repeatedIdentities: [String] {
        var seen: [String: Int] = [:]
        for event in events { seen[event.identity, default: 0] += 1 }
        return seen.filter { $0.value > 1 }.keys.sorted()
    }
}

/// Records every notification, with an optional watchdog interval.
public final class RecordingNotifier: ServiceNotifier {
    private let recorded = Mutex<[[ServiceNotification]]>([])
    public let watchdogInterval: Duration?

    public init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    public func notify(_ notifications: [ServiceNotification]) {
        recorded.withLock { $0.append(notifications) }
    }

    public var all: [ServiceNotification] { recorded.withLock { $0.flatMap { $0 } } }
    public var watchdogPings: Int { all.filter { $0 == .watchdog }.count }
    public var lastStatus: String? {
        all.reversed().compactMap { if case .status(let line) = $0 { line } else { nil } }.first
    }
}

/// A store in memory, which can be told to fail like a full disk.
public final class MemoryStateStore: PoolStateStore {
    private let saved = Mutex<[IdentityPoolID: PoolState]>([:])
    private let failing = Mutex(false)
    public struct DiskFull: Error {}

    public init(_ initial: [IdentityPoolID: PoolState] = [:]) {
        saved.withLock { $0 = initial }
    }

    public func loadAll() -> (states: [IdentityPoolID: PoolState], warnings: [String]) { (saved.withLock { $0 }, []) }

    public func save(_ state: PoolState, for pool: IdentityPoolID) throws {
        if failing.withLock({ $0 }) { throw DiskFull() }
        saved.withLock { $0[pool] = state }
    }

    public func fail(_ value: Bool) { failing.withLock { $0 = value } }
    public var states: [IdentityPoolID: PoolState] { saved.withLock { $0 } }
}
