import Foundation
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning

/// A clock that moves only when the test says so.
final class HandAdvancedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = start
    }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}

/// A provider that hands out scripted results in order and counts its calls; it can be told to
/// hold every call until released.
actor ScriptedCredentialProvider: CredentialProvider {
    nonisolated let sourceName: String
    private var results: [Result<AWSCredentials, CredentialError>]
    private(set) var calls = 0
    private var holding: Bool
    private var held: [CheckedContinuation<Void, Never>] = []

    init(_ name: String = "scripted", results: [Result<AWSCredentials, CredentialError>], hold: Bool = false) {
        sourceName = name
        self.results = results
        holding = hold
    }

    func credentials() async throws -> AWSCredentials {
        calls += 1
        if holding {
            await withCheckedContinuation { held.append($0) }
        }
        guard !results.isEmpty else {
            throw CredentialError(.requestFailed, source: sourceName, message: "script exhausted")
        }
        return try results.removeFirst().get()
    }

    /// Lets held and future calls through.
    func release() {
        holding = false
        for continuation in held {
            continuation.resume()
        }
        held.removeAll()
    }

    /// How many calls are waiting for `release()`.
    var heldCalls: Int { held.count }
}

extension AWSCredentials {
    static func temporary(_ id: String, expiresAt expiration: Date) -> AWSCredentials {
        AWSCredentials(accessKeyID: id, secretAccessKey: "secret-\(id)", sessionToken: "token-\(id)", expiration: expiration)
    }
}

/// Polls an async condition, yielding between checks; for states another task reaches soon.
func pollUntil(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<100_000 {
        if await condition() { return true }
        await Task.yield()
    }
    return false
}

/// Counts calls from the server's event loop.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// The task's result, or nil if it has none within `timeout`: a bound that turns a wait that
/// never returns into a failure (Swift Testing's time limit still waits for the test to return),
/// not a delay anything relies on.
func outcome<Value: Sendable>(of task: Task<Value, any Error>, within timeout: Duration) async -> Result<Value, any Error>? {
    await firstToEnd(within: timeout) { await task.result }
}

/// Whether `work` ends within `timeout` (see ``outcome(of:within:)``); one that does not is left running.
func ends(within timeout: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
    await firstToEnd(within: timeout) { await work() } != nil
}

private func firstToEnd<Value: Sendable>(within timeout: Duration, _ work: @escaping @Sendable () async -> Value) async -> Value? {
    let (results, continuation) = AsyncStream<Value?>.makeStream(bufferingPolicy: .bufferingOldest(1))
    Task { continuation.yield(await work()) }
    let timer = Task {
        try? await Task.sleep(for: timeout)
        continuation.yield(nil)
    }
    var iterator = results.makeAsyncIterator()
    let first = await iterator.next() ?? nil
    continuation.finish()
    timer.cancel()
    return first
}
