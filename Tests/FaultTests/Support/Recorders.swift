import DaemonTestSupport
import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import Daemon
import Model
import Synchronization

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

