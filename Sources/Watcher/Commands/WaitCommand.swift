import AWSClient
import AWSCore
import AWSCredentialProviders
import ArgumentParser
import Foundation
import Logging
import Model
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `wait`: blocks until the bulk publish of each pool has finished.
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until the bulk publish of each pool has finished.",
        discussion: """
            By default the pool's latest run counts: if it has already finished, wait \
            returns its result at once. --new-run waits for a run that starts after \
            wait first looks at the pool, so a deploy script never returns on an old \
            SUCCEEDED; --since counts only runs that started at or after a time; --start \
            calls BulkPublish first and implies --new-run (a run already in progress is \
            waited for instead). A pool that is NOT_STARTED is waited on. Timeouts, 5xx \
            answers and throttling are retried with backoff, never a reason to stop.

            Progress goes to stderr, one line per change with the time since wait began; \
            --json also prints one JSON object per change on stdout. Polls come every 5 s \
            while a run is IN_PROGRESS and every 10 s otherwise, unless --interval says.

            Examples:
              cognito-sync-watcher wait us-east-1:4f7c2d9a-1b3e-4c8f-a6d2-9e0b5a7c3f14
              cognito-sync-watcher wait --start --timeout 2h POOL_ID
              cognito-sync-watcher wait --new-run --quiet POOL_ID && echo published
              cognito-sync-watcher wait --since 2026-11-29T04:00:00Z --json POOL_ID
              cognito-sync-watcher wait --config /etc/cognito-sync-watcher/config.json

            Exit status:
              0    every pool's run SUCCEEDED
              1    a run FAILED (its FailureMessage is on stderr)
              2    usage or configuration error
              3    an error waiting cannot fix (not authorized, pool not found,
                   invalid id, no credentials)
              4    --start was refused: a run already SUCCEEDED in the last 24 hours
              124  --timeout ran out
              130  interrupted (SIGINT or SIGTERM)
            With several pools, wait goes on until every pool is done and exits with
            the worst outcome, in this order: 3, 1, 4, 124, 0.
            """
    )

    @OptionGroup var selected: PoolOptionGroup

    @Flag(help: "Call BulkPublish first, then wait for the run it starts.")
    var start = false

    @Flag(help: "Wait for a run that starts after wait first looks at the pool.")
    var newRun = false

    @Option(
        help: ArgumentHelp("Count only runs that started at or after this time: ISO 8601 (2026-11-29T04:00:00Z) or epoch seconds.", valueName: "time"),
        transform: WaitCommand.parseTime)
    var since: TimestampArgument?

    @Option(
        help: ArgumentHelp("Give up after this long, with exit status 124: seconds, or with a unit (90s, 15m, 2h).", valueName: "duration"),
        transform: { try WaitCommand.parseDuration($0, option: "--timeout") })
    var timeout: DurationArgument?

    @Option(
        help: ArgumentHelp("Poll every this long whatever the status (at least 1s; default: adaptive).", valueName: "duration"),
        transform: { try WaitCommand.parseDuration($0, option: "--interval") })
    var interval: DurationArgument?

    @Flag(name: .shortAndLong, help: "Print no progress; errors and the exit status still tell the outcome.")
    var quiet = false

    @Flag(help: "Print one JSON object per change on stdout.")
    var json = false

    func validate() throws {
        if newRun, since != nil {
            throw ValidationError("--new-run and --since both say which run counts; pass one of them.")
        }
        if let timeout, timeout.duration <= .zero {
            throw ValidationError("--timeout must be longer than 0 seconds.")
        }
        if let interval, interval.duration < PollSchedule.minimumDelay {
            throw ValidationError("--interval must be at least 1 second, e.g. --interval 5s.")
        }
    }

    func run() async throws {
        // Signals first: a SIGINT from here on ends the wait with 130, never half-way through.
        let signals = SignalStream.make([SIGINT, SIGTERM])
        let environment = ProcessInfo.processInfo.environment
        let selection = try selected.selection(environment: environment)
        var logger = Logger(label: BuildInfo.name) { _ in CommandLineLogHandler() }
        if quiet { logger.logLevel = .error }
        let clients = try ServiceClients.forCommand(selection.configuration, environment: environment, logger: logger)
        let reporter = WaitReporter(quiet: quiet, json: json)
        let session = WaitSession(
            pools: selection.pools, clients: clients, requirement: requirement, startsBulkPublish: start,
            settings: interval.map { BulkPublishWait.settings(fixedInterval: $0.duration) } ?? BulkPublishWait.defaultSettings,
            limiter: SharedRateLimiter(rate: selection.configuration.limits.maxRequestsPerSecond),
            reporter: reporter
        )
        let ending = await session.run(timeout: timeout?.duration, signals: signals)
        await clients.shutdown()

        if case .interrupted(let signal) = ending {
            let waiting = selection.pools.count - reporter.outcomes.count
            let service = start ? "a bulk publish already requested goes on at the service" : "nothing was changed at the service"
            throw CommandFailure(.interrupted, "interrupted by \(signal == SIGTERM ? "SIGTERM" : "SIGINT") while \(waiting) pool\(waiting == 1 ? " was" : "s were") still waiting; \(service)")
        }
        let outcomes = reporter.outcomes
        for pool in selection.pools {
            let outcome = outcomes[pool.id] ?? .timedOut
            if let sentence = WaitVerdict.sentence(for: outcome, pool: pool, last: reporter.lastProgress(for: pool.id), timeout: timeout) {
                FileHandle.standardError.write(Data("error: \(sentence)\n".utf8))
            }
        }
        let worst = WaitOutcome.worst(of: selection.pools.map { outcomes[$0.id] ?? .timedOut }) ?? .succeeded(BulkPublishDetails(status: .succeeded))
        if worst.exitStatus != .success {
            throw ExitCode(worst.exitStatus.rawValue)
        }
    }

    private var requirement: RunRequirement {
        if let since { return .startedSince(since.date) }
        return newRun ? .newRun : .latestRun
    }

    static func parseTime(_ text: String) throws -> TimestampArgument {
        guard let time = TimestampArgument(argument: text) else {
            throw ValidationError("'\(text)' is not a time; write ISO 8601 like 2026-11-29T04:00:00Z, or epoch seconds.")
        }
        return time
    }

    static func parseDuration(_ text: String, option: String) throws -> DurationArgument {
        guard let duration = DurationArgument(argument: text) else {
            throw ValidationError("'\(text)' is not a duration for \(option); write seconds or a number with a unit, e.g. 90, 90s, 15m or 2h.")
        }
        return duration
    }
}
