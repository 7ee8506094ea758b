import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Model

/// Waits for every selected pool at once, each driven by its own ``BulkPublishWait``, until all
/// are done, the time runs out or a signal arrives. The calls are the only thing done here; every
/// decision is the policy's.
struct WaitSession {
    /// Why waiting stopped.
    enum Ending: Equatable {
        /// Every pool is done.
        case finished
        /// The time allowed ran out.
        case timedOut
        /// SIGINT or SIGTERM.
        case interrupted(signal: Int32)
    }

    var pools: [WatchedPool]
    /// The clients, one per identity the pools use.
    var clients: ServiceClients
    var requirement: RunRequirement
    var startsBulkPublish: Bool
    var settings: PoolSettings
    var limiter: SharedRateLimiter
    var reporter: WaitReporter

    /// Waits; the outcomes of the pools that finished are in the reporter.
    func run(timeout: Duration?, signals: AsyncStream<Int32>) async -> Ending {
        await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                await waitForAll()
                return .finished
            }
            if let timeout {
                group.addTask {
                    do {
                        try await Task.sleep(for: timeout)
                        return .timedOut
                    } catch {
                        return nil
                    }
                }
            }
            group.addTask {
                for await signal in signals {
                    return .interrupted(signal: signal)
                }
                return nil
            }
            var ending = Ending.finished
            while let next = await group.next() {
                if let next {
                    ending = next
                    break
                }
            }
            group.cancelAll()
            if ending == .timedOut {
                for pool in pools where reporter.outcomes[pool.id] == nil {
                    reporter.report(.timedOut(after: reporter.lastProgress(for: pool.id)), for: pool, outcome: .timedOut)
                }
            }
            return ending
        }
    }

    private func waitForAll() async {
        await withTaskGroup(of: Void.self) { group in
            for pool in pools {
                group.addTask { await wait(for: pool) }
            }
        }
    }

    /// Follows one pool until its policy finishes or the task is cancelled.
    private func wait(for pool: WatchedPool) async {
        var policy = BulkPublishWait(pool: pool, requirement: requirement, startsBulkPublish: startsBulkPublish, settings: settings)
        var random = SystemRandomNumberGenerator()
        var step = policy.begin()
        while true {
            if case .finish(let outcome) = step.action {
                if let progress = step.progress { reporter.report(progress, for: pool, outcome: outcome) }
                return
            }
            if let progress = step.progress { reporter.report(progress, for: pool) }
            switch step.action {
            case .fetchDetails(let delay):
                guard await pause(delay) else { return }
                do {
                    let details = try await clients.client(for: pool).bulkPublishDetails(for: pool.id, region: pool.region)
                    step = policy.received(details, at: Date(), using: &random)
                } catch {
                    if Task.isCancelled { return }
                    step = policy.failed(error.pollFailure, at: Date(), using: &random)
                }
            case .startBulkPublish(let delay):
                guard await pause(delay) else { return }
                let result: BulkPublishStartResult
                do {
                    try await clients.client(for: pool).startBulkPublish(for: pool.id, region: pool.region)
                    result = .accepted
                } catch {
                    if Task.isCancelled { return }
                    result = BulkPublishStartResult(error)
                }
                step = policy.startResult(result, at: Date(), using: &random)
            case .finish:
                return
            }
        }
    }

    /// Sleeps `delay`, then waits for the shared request budget; false when cancelled.
    private func pause(_ delay: Duration) async -> Bool {
        do {
            if delay > .zero {
                try await Task.sleep(for: delay)
            }
            try await limiter.acquire()
            return !Task.isCancelled
        } catch {
            return false
        }
    }
}

extension BulkPublishStartResult {
    /// How a failed `BulkPublish` reads to the waiting policy.
    init(_ error: CognitoSyncError) {
        if case .service(let serviceError) = error.reason {
            switch serviceError.category {
            case .duplicateRequest:
                self = .alreadyInProgress
                return
            case .alreadyStreamed:
                self = .alreadyStreamed(error.pollFailure)
                return
            default:
                break
            }
        }
        self = .failed(error.pollFailure)
    }
}
