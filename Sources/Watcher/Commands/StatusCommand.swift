import AWSClient
import AWSCore
import AWSCredentialProviders
import ArgumentParser
import Foundation
import Logging
import Model

/// `status`: one `GetBulkPublishDetails` per pool, as a table or JSON.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the status of the last bulk publish of each pool.",
        discussion: """
            Pools come from the arguments, or from the configuration when none is named. Every field \
            of the response is shown; --json prints one JSON array for scripts. What the running \
            daemon last saw, without calling AWS: cognito-sync-watcher daemon-status.

            Examples:
              cognito-sync-watcher status us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a
              cognito-sync-watcher status --json --config config.json
              cognito-sync-watcher status --endpoint https://127.0.0.1:4600 \\
                  us-east-1:4f7c2d9a-1b3e-4c8f-a6d2-9e0b5a7c3f14

            Exit status: 0 when every pool answered; 3 when any call failed with an error waiting \
            cannot fix (not authorized, not found, no credentials); 5 when the service stayed \
            unavailable; 2 for usage or configuration errors.
            """
    )

    @OptionGroup var selected: PoolOptionGroup

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let selection = try selected.selection(environment: environment)
        let logger = Logger(label: BuildInfo.name) { _ in CommandLineLogHandler() }
        let clients = try ServiceClients.forCommand(selection.configuration, environment: environment, logger: logger)
        let results = await Self.query(selection.pools, clients: clients, concurrency: selection.configuration.limits.maxConcurrentPolls)
        await clients.shutdown()

        print(json ? StatusReport.json(results) : StatusReport.table(results))
        let failures = results.compactMap { $0.1.failure }
        if failures.contains(where: \.isLasting) {
            throw ExitCode(ExitStatus.lastingError.rawValue)
        }
        if !failures.isEmpty {
            throw ExitCode(ExitStatus.unavailable.rawValue)
        }
    }

    /// One call per pool, `concurrency` at a time, in the order given.
    static func query(_ pools: [WatchedPool], clients: ServiceClients, concurrency: Int) async -> [(WatchedPool, Result<BulkPublishDetails, CognitoSyncError>)] {
        var results = [Result<BulkPublishDetails, CognitoSyncError>?](repeating: nil, count: pools.count)
        await withTaskGroup(of: (Int, Result<BulkPublishDetails, CognitoSyncError>).self) { group in
            var next = 0
            func launch() {
                let index = next
                let pool = pools[index]
                next += 1
                group.addTask {
                    do throws(CognitoSyncError) {
                        return (index, .success(try await clients.client(for: pool).bulkPublishDetails(for: pool.id, region: pool.region)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < min(concurrency, pools.count) { launch() }
            for await (index, result) in group {
                results[index] = result
                if next < pools.count { launch() }
            }
        }
        return zip(pools, results).map { ($0, $1 ?? .failure(CognitoSyncError(.cancelled))) }
    }
}

extension Result where Failure == CognitoSyncError {
    /// The failure, if any.
    var failure: CognitoSyncError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
