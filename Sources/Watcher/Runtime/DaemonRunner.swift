import AWSClient
import AWSCore
import AWSCredentialProviders
// CoreFoundation: the compiler may take timespec (monotonicMicroseconds) to be its type, and
// MemberImportVisibility then wants it imported, depending on which files are compiled together.
import CoreFoundation
import Daemon
import Foundation
import Logging
import Model
import PrometheusExport
import Systemd
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The daemon's life: start-up, reloads on SIGHUP, an orderly stop on SIGTERM or SIGINT.
///
/// systemd hears about each step: READY once the configuration is loaded and the state
/// restored, RELOADING/READY around a reload, STOPPING on shutdown, ERRNO and a STATUS that
/// says why when start-up fails.
struct DaemonRunner {
    var configurationPath: String
    var awsOverrides: AWSOptionGroup
    var output: Output
    var environment: [String: String]
    var notifier: any ServiceNotifier
    var logger: Logger
    /// Pools without saved state start from what AWS shows (`run --baseline`).
    var baseline = false
    /// How long polls in flight may take to finish at shutdown before they are cancelled.
    var gracePeriod: Duration = StopBudget.pollGracePeriod

    /// Runs until a stop signal; returns normally after an orderly stop.
    func run() async throws {
        let signals = SignalStream.make([SIGHUP, SIGTERM, SIGINT])
        var configuration = try loadForStartUp()
        let store: FileStateStore
        do {
            store = try FileStateStore(directory: FileStateStore.directory(configured: configuration.stateDirectory, environment: environment))
        } catch {
            failStartUp("cannot use the state directory: \(error)", errno: EACCES)
        }
        let settings: ClientSettings
        do {
            settings = try ClientSettings.resolve(aws: configuration.aws, environment: environment)
        } catch {
            failStartUp(error.description, errno: EINVAL)
        }
        let eventLoop = LoopEventLoop()
        var exporter: MetricsExporter?
        if configuration.metrics.isEnabled {
            do {
                exporter = try await MetricsExporter.start(configuration.metrics, sleep: eventLoop.sleep, logger: logger)
            } catch {
                logger.debug("metrics endpoint", metadata: ["cause": "\(error.cause)"])
                failStartUp(error.description, errno: EADDRINUSE)
            }
        }
        let metricsFactory = exporter?.factory
        let hookSettings = CurrentHookSettings(configuration.hooks)
        let spool: FileHookSpool
        do {
            spool = try FileHookSpool(stateDirectory: store.directory)
        } catch {
            failStartUp("\(error)", errno: EACCES)
        }
        // Hooks run in their own actor; the loop only spools their events (HookEventSink).
        let hooks = HookRunner(
            spool: spool, launcher: ProcessHookLauncher(sleep: eventLoop.sleep), settings: hookSettings, environment: environment,
            sleep: eventLoop.sleep, logger: logger)
        let sink = CompositeEventSink([
            output.sink,
            HookEventSink(spool: spool, settings: hookSettings) { added in Task { await hooks.enqueue(added) } },
        ])
        var clients = ServiceClients(
            settings: settings, aws: configuration.aws, limits: configuration.limits, environment: environment,
            identities: configuration.poolIdentities, eventLoopGroup: eventLoop.group, metricsFactory: metricsFactory,
            forDaemon: true, sleep: eventLoop.sleep, logger: logger)
        var retired: [ServiceClients] = []
        // What daemon-status shows: rewritten after each saved change and every 30 s.
        let view = DaemonViewWriter(
            file: DaemonViewLocation.daemonFile(configured: configuration.runtimeDirectory, environment: environment, stateDirectory: store.directory),
            sleep: eventLoop.sleep, logger: logger)
        let loop = WatchLoop(
            configuration: configuration, fetcher: clients.fetcher, sink: sink,
            store: ChangeSignallingStateStore(store) { view.changed() }, notifier: notifier, scheduler: eventLoop.scheduler, executor: eventLoop.executor,
            baseline: baseline, longestLegitimatePoll: Self.longestLegitimatePoll(configuration, clients.settings),
            metrics: exporter.map { exporter in PoolMetrics(factory: exporter.factory) { exporter.changed() } }, logger: logger
        )
        // Restoring thousands of pools' state from a slow disk may outlast TimeoutStartSec=.
        let startupExtension = Task { [notifier, sleep = eventLoop.sleep] in
            await StartupTimeoutExtension(notifier: notifier, sleep: sleep).keepExtending()
        }
        warnAboutHookPrograms(configuration.hooks)
        await hooks.start()
        await loop.start()
        await view.start { await loop.snapshot() }
        startupExtension.cancel()
        notifier.notify([.ready, .status(await loop.statusLine ?? "started")])
        logger.notice("started", metadata: ["pools": "\(configuration.pools.count)", "state": "\(store.directory.path)", "version": "\(BuildInfo.version)"])

        for await signal in signals {
            guard signal == SIGHUP else {
                logger.notice("stopping", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
                break
            }
            notifier.notify([.reloading(monotonicMicroseconds: Self.monotonicMicroseconds())])
            await clients.invalidateCredentials()
            do {
                let new = try ConfigurationFile.load(path: configurationPath).withAWS(awsOverrides)
                // Read again: a CA bundle or the profile may have changed under the same names.
                let newSettings = try ClientSettings.resolve(aws: new.aws, environment: environment)
                if new.aws != configuration.aws || new.limits.requestTimeout != configuration.limits.requestTimeout
                    || new.limits.maxConcurrentPolls != configuration.limits.maxConcurrentPolls || newSettings != clients.settings
                    || new.poolIdentities != configuration.poolIdentities {
                    retired.append(clients)
                    clients = ServiceClients(
                        settings: newSettings, aws: new.aws, limits: new.limits, environment: environment,
                        identities: new.poolIdentities, eventLoopGroup: eventLoop.group, metricsFactory: metricsFactory,
                        forDaemon: true, sleep: eventLoop.sleep, logger: logger)
                    await loop.reload(configuration: new, fetcher: clients.fetcher, longestLegitimatePoll: Self.longestLegitimatePoll(new, newSettings))
                } else {
                    await loop.reload(configuration: new, longestLegitimatePoll: Self.longestLegitimatePoll(new, newSettings))
                }
                if new.hooks != configuration.hooks {
                    hookSettings.replace(with: new.hooks)
                    warnAboutHookPrograms(new.hooks)
                    logger.notice("hooks changed", metadata: ["hooks": "\(Self.describe(new.hooks))"])
                }
                if new.stateDirectory != configuration.stateDirectory {
                    logger.warning("stateDirectory changes take effect at the next restart")
                }
                if new.metrics != configuration.metrics {
                    logger.warning("metrics changes take effect at the next restart")
                }
                if new.runtimeDirectory != configuration.runtimeDirectory {
                    logger.warning("runtimeDirectory changes take effect at the next restart")
                }
                configuration = new
                view.changed()
                notifier.notify([.ready, .status(await loop.statusLine ?? "reloaded")])
            } catch {
                logger.error("reload failed; still running with the previous configuration", metadata: ["error": "\(error)"])
                notifier.notify([.ready, .status("reload failed, running with the previous configuration: \(error)")])
            }
        }
        notifier.notify([.stopping])
        // Each step ends on its own well inside the budget (a poll waiting for a credential_process
        // that hangs is cancelled after the grace period and the helper killed); the sequence
        // only makes sure that the unit's TimeoutStopSec= is never what ends the process.
        var stop = StopSequence(logger: logger)
        let gracePeriod = self.gracePeriod
        await stop.run("let the polls in flight finish") { await loop.stop(gracePeriod: gracePeriod) }
        await stop.run("write the last status file") { await view.stop() }
        // Hooks under way are killed; their events stay spooled for the next start.
        await stop.run("stop the hooks under way") { await hooks.stop() }
        let allClients = retired + [clients]
        await stop.run("end the credential refreshes under way") {
            for client in allClients { await client.endCredentialRefreshes() }
        }
        await stop.run("close the connections") {
            for client in allClients { await client.shutdown() }
        }
        if let exporter {
            await stop.run("stop the metrics endpoint") { await exporter.shutdown() }
        }
        await stop.run("stop the event loop") { await eventLoop.shutdown() }
        logger.notice("stopped")
    }

    /// The longest a poll may take before the watchdog stops being pinged, from the request
    /// timeout and the retry settings in force.
    private static func longestLegitimatePoll(_ configuration: WatcherConfiguration, _ settings: ClientSettings) -> Duration {
        PollBudget.longestLegitimatePoll(requestTimeout: configuration.limits.requestTimeout, maxAttempts: settings.retry.maxAttempts)
    }

    private func warnAboutHookPrograms(_ settings: HookSettings) {
        for warning in HookProgramCheck.warnings(settings) {
            logger.warning("\(warning)")
        }
    }

    /// `failed, stalled` or `none`: which events have hooks now.
    private static func describe(_ settings: HookSettings) -> String {
        let kinds = HookSettings.hookableKinds.filter { settings.commands[$0] != nil }.map(\.rawValue)
        return kinds.isEmpty ? "none" : kinds.joined(separator: ", ")
    }

    private func loadForStartUp() throws -> WatcherConfiguration {
        do {
            return try ConfigurationFile.load(path: configurationPath).withAWS(awsOverrides)
        } catch {
            failStartUp("\(error)", errno: EINVAL)
        }
    }

    /// Tells systemd and the operator why start-up failed, then exits with status 2 (the unit
    /// does not restart on it: a bad configuration needs a person).
    private func failStartUp(_ reason: String, errno: Int32) -> Never {
        logger.critical("cannot start: \(reason)")
        notifier.notify([.status("cannot start: \(reason)"), .errno(errno)])
        if output.target == .journal {
            // Also on stderr: `systemctl start` users look at the journal, terminal users here.
            FileHandle.standardError.write(Data("error: \(reason)\n".utf8))
        }
        exit(2)
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1000
    }
}

extension WatcherConfiguration {
    /// The configuration with command-line AWS options laid over it.
    func withAWS(_ overrides: AWSOptionGroup) -> WatcherConfiguration {
        var copy = self
        copy.aws = overrides.applied(to: aws)
        return copy
    }
}
