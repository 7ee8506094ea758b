import Synchronization

/// One run of a fetch that several callers wait on, each free to stop waiting on its own.
///
/// A caller whose task is cancelled gets `CancellationError` at once, even while the fetch goes
/// on for the others; when the last one has gone, nobody wants the result any more and the fetch
/// is cancelled (a `credential_process` is killed then, not left to run to its timeout).
/// ``cancel()`` ends it for everyone, for a daemon that is stopping.
///
/// Callers first ``join()`` (synchronously, on the caller's actor, so that a fetch is never
/// given up between the moment one caller decides to wait for it and the moment it waits),
/// then wait with ``value(for:)``.
final class SharedFetch<Value: Sendable>: Sendable {
    /// Where the fetch is.
    private enum Phase {
        case running
        case finished(Result<Value, any Error>)
        /// Cancelled: every waiter left, or ``cancel()``.
        case abandoned
    }

    private struct State {
        var phase = Phase.running
        /// The callers that joined and have not left; `nil` until the caller is suspended.
        var waiters: [UInt64: CheckedContinuation<Value, any Error>?] = [:]
        var nextTicket: UInt64 = 0
        var task: Task<Void, Never>?
        /// The operation has returned (after a cancellation too): nothing of it runs any more.
        var ended = false
    }

    private let state = Mutex(State())

    /// Starts `operation` at once, in a task of its own.
    init(_ operation: @escaping @Sendable () async throws -> Value) {
        let task = Task { await self.run(operation) }
        state.withLock { $0.task = task }
    }

    /// A place among the waiters, to be redeemed with ``value(for:)``.
    func join() -> UInt64 {
        state.withLock { state in
            state.nextTicket += 1
            state.waiters[state.nextTicket] = .some(nil)
            return state.nextTicket
        }
    }

    /// Whether a new caller should start another fetch instead of joining this one: it ended, or
    /// was given up.
    var isSettled: Bool {
        state.withLock { state in
            if case .running = state.phase { return false }
            return true
        }
    }

    /// Whether the operation has returned, so that no process or request of it is left.
    var hasEnded: Bool {
        state.withLock { $0.ended }
    }

    /// The fetch's result, or `CancellationError` as soon as the calling task is cancelled.
    func value(for ticket: UInt64) async throws -> Value {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let now: Result<Value, any Error>? = state.withLock { state in
                    switch state.phase {
                    case .finished(let result):
                        state.waiters[ticket] = nil
                        return result
                    case .abandoned:
                        return .failure(CancellationError())
                    case .running:
                        // Gone from the list: the cancellation handler ran first.
                        guard state.waiters[ticket] != nil else { return .failure(CancellationError()) }
                        state.waiters[ticket] = continuation
                        return nil
                    }
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            leave(ticket)
        }
    }

    /// Ends the fetch for every waiter (they get `CancellationError`) and waits until the
    /// operation has returned.
    func cancel() async {
        let (waiters, task): ([CheckedContinuation<Value, any Error>], Task<Void, Never>?) = state.withLock { state in
            guard case .running = state.phase else { return ([], state.task) }
            state.phase = .abandoned
            defer { state.waiters.removeAll() }
            return (state.waiters.values.compactMap { $0 }, state.task)
        }
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
        task?.cancel()
        await task?.value
    }

    /// A cancelled caller leaves; the last one to leave cancels the fetch.
    private func leave(_ ticket: UInt64) {
        let (waiter, abandoned): (CheckedContinuation<Value, any Error>?, Task<Void, Never>?) = state.withLock { state in
            guard case .running = state.phase, let entry = state.waiters.removeValue(forKey: ticket) else { return (nil, nil) }
            guard state.waiters.isEmpty else { return (entry, nil) }
            state.phase = .abandoned
            return (entry, state.task)
        }
        waiter?.resume(throwing: CancellationError())
        abandoned?.cancel()
    }

    private func run(_ operation: @Sendable () async throws -> Value) async {
        let result: Result<Value, any Error>
        do {
            result = .success(try await operation())
        } catch {
            result = .failure(error)
        }
        let waiters: [CheckedContinuation<Value, any Error>] = state.withLock { state in
            state.ended = true
            guard case .running = state.phase else { return [] }
            state.phase = .finished(result)
            defer { state.waiters.removeAll() }
            return state.waiters.values.compactMap { $0 }
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
