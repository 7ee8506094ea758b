import Foundation

/// Runs `work` on a thread of its own and suspends until it returns.
///
/// For what blocks: waiting for a child process, reading a pipe to its end. Swift's tasks share
/// a pool of as many threads as the machine has cores, and the suites run in parallel on it; a
/// test that blocks one of those threads for the seconds a Python oracle or a child takes holds
/// up every other test's timers and continuations meanwhile (on 2 cores, stalls of 5 and 7 s were
/// measured in one run, enough to make a test with a timeout fail). On a thread of its own the
/// wait costs the pool nothing.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// ``onOwnThread(_:)-(()->T)`` for work that cannot fail.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
