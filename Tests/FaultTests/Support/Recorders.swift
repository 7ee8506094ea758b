import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import Daemon
import Model
import Synchronization

/// Records every event delivered, in order.
final class RecordingSink: EventSink {
    private let recorded = Mutex<[WatchEvent]>([])

    func deliver(_ events: [WatchEvent]) throws {
        recorded.withLock { $0 += events }
    }

    var events: [WatchEvent] { recorded.withLock { $0 } }

    func kinds(of pool: IdentityPoolID) -> [WatchEvent.Kind] {
        events.filter { $0.poolID == pool }.map(\.kind)
    }

    /// Identities delivered more than once: a transition reported twice.
    var repeatedIdentities: [String] {
        var seen: [String: Int] = [:]
        for event in events { seen[event.identity, default: 0] += 1 }
        return seen.filter { $0.value > 1 }.keys.sorted()
    }
}

/// A store in memory.
final class MemoryStateStore: PoolStateStore {
    private let saved = Mutex<[IdentityPoolID: PoolState]>([:])

    func loadAll() -> (states: [IdentityPoolID: PoolState], warnings: [String]) { (saved.withLock { $0 }, []) }

    func save(_ state: PoolState, for pool: IdentityPoolID) throws {
        saved.withLock { $0[pool] = state }
    }
}

/// Records the waits the client asks for between retries, and returns at once.
final class SleepRecorder: Sendable {
    private let recorded = Mutex<[Duration]>([])

    func record(_ duration: Duration) { recorded.withLock { $0.append(duration) } }

    var all: [Duration] { recorded.withLock { $0 } }
}

/// Hands out one key pair until ``rotate()``, then another: a credential source whose keys
/// expire and are replaced, like an instance role's.
final class RotatingCredentials: CredentialProvider {
    private struct State {
        var rotated = false
        var fetches = 0
    }

    private let state = Mutex(State())
    private let first: AWSCredentials
    private let second: AWSCredentials
    private let rotatesAfterFirstFetch: Bool

    /// - Parameter rotatesAfterFirstFetch: hand out `second` from the second fetch on, as a
    ///   source does that already has new keys when the old ones expire.
    init(first: AWSCredentials, second: AWSCredentials, rotatesAfterFirstFetch: Bool) {
        self.first = first
        self.second = second
        self.rotatesAfterFirstFetch = rotatesAfterFirstFetch
    }

    var sourceName: String { "rotating test keys" }

    func credentials() async throws -> AWSCredentials {
        state.withLock { state in
            state.fetches += 1
            if rotatesAfterFirstFetch, state.fetches > 1 { state.rotated = true }
            return state.rotated ? second : first
        }
    }

    func rotate() { state.withLock { $0.rotated = true } }

    var fetches: Int { state.withLock { $0.fetches } }
}

/// Credentials that never change.
struct FixedCredentials: CredentialProvider {
    var credentials: AWSCredentials
    var sourceName: String { "fixed test keys" }
    func credentials() async throws -> AWSCredentials { credentials }
}

