import AWSClient
import AWSCore
import AWSCredentialProviders
import Daemon
import Foundation
import Model

/// What a valid configuration will do, as `check-config` prints it.
struct ConfigurationSummary {
    var configuration: WatcherConfiguration
    var path: String
    /// Trust, proxies and retries as resolved with the environment and the profile.
    var settings: ClientSettings
    var environment: [String: String]

    /// Where `daemon-status` finds the daemon's view: the unit's runtime directory, and where a
    /// daemon run by hand with this file writes it.
    var statusFileLine: String {
        let places = DaemonViewLocation.candidates(for: configuration).map(\.path)
        guard let unit = places.first else { return "-" }
        let byHand = places.dropFirst().first.map { ", or \($0) when run by hand" } ?? ""
        return "\(unit) under the unit\(byHand) (read by daemon-status)"
    }

    var text: String {
        let pools = configuration.pools
        let regions = configuration.regions
        var lines: [String] = []
        lines.append("\(path): valid; \(pools.count) pool\(pools.count == 1 ? "" : "s") in \(regions.count) region\(regions.count == 1 ? "" : "s") (\(regions.joined(separator: ", "))).")
        lines.append("")
        var table = TextTable(headers: ["POOL", "NAME", "REGION", "IN PROGRESS", "IDLE", "FINISHED", "STALL AFTER", "JITTER"])
        for pool in pools {
            let settings = pool.settings
            table.append([
                pool.id.rawValue, pool.name ?? "-", pool.region,
                "every " + EventText.duration(settings.inProgressInterval),
                "every " + EventText.duration(settings.idleInterval),
                "every " + EventText.duration(settings.finishedInterval),
                EventText.duration(settings.stallAfter),
                "\(Int((settings.jitter * 100).rounded()))%",
            ])
        }
        lines.append(table.render())
        lines.append("")
        let aws = configuration.aws
        lines.append("Endpoint:        " + (aws.endpoint ?? "AWS's, per region\(aws.useFIPSEndpoint ? ", FIPS" : "")\(aws.useDualStackEndpoint ? ", dual-stack" : "")"))
        lines.append("Credentials:     " + (aws.profile.map { "profile '\($0)'" } ?? "the default chain (environment, files, systemd credential, instance role)"))
        for identity in configuration.poolIdentities.sorted(by: { $0.description < $1.description }) {
            let users = pools.filter { $0.identity == identity }.map { $0.name ?? $0.id.rawValue }
            let source = identity.roleARN != nil && identity.profile == nil
                ? " (assumed with " + (aws.profile.map { "profile '\($0)'" } ?? "the default chain") + ")" : ""
            lines.append("                 \(identity)\(source) for \(users.joined(separator: ", "))")
        }
        lines.append("State directory: " + (configuration.stateDirectory ?? "$STATE_DIRECTORY, else /var/lib/cognito-sync-watcher"))
        lines.append("Status file:     " + statusFileLine)
        let limits = configuration.limits
        lines.append("Limits:          at most \(ConfigurationSummary.format(limits.maxRequestsPerSecond)) requests/s, \(limits.maxConcurrentPolls) polls at once, \(EventText.duration(limits.requestTimeout)) per request")
        lines.append("Retries:         " + retryLine)
        lines.append("Trusted CAs:     " + settings.network.trust.description)
        lines.append("Proxies:         " + Self.proxyLine(settings.network.serviceProxies, configured: aws.proxy != nil))
        if aws.proxy != nil, !settings.network.environmentProxies.isDirect {
            lines.append("                 (instance metadata follows the environment's: " + Self.proxyLine(settings.network.environmentProxies, configured: false) + ")")
        }
        lines.append("Metrics:         " + metricsLine)
        lines.append(contentsOf: hookLines)
        lines.append("Routes:")
        for region in regions {
            lines.append("  " + routeLine(region: region))
        }
        for warning in settings.warnings + metricsWarnings + HookProgramCheck.warnings(configuration.hooks) {
            lines.append("warning: " + warning)
        }
        return lines.joined(separator: "\n")
    }

    /// `served at http://127.0.0.1:9464/metrics; written to /var/lib/…/cognito-sync-watcher.prom`.
    private var metricsLine: String {
        let metrics = configuration.metrics
        guard metrics.isEnabled else { return "off (see the README's Monitoring section)" }
        var parts: [String] = []
        if let listen = metrics.listen { parts.append("served at http://\(listen)/metrics") }
        if let file = metrics.textfile { parts.append("written to \(file)") }
        return parts.joined(separator: "; ")
    }

    /// An endpoint others can reach serves the pools' ids and names to anyone who asks.
    private var metricsWarnings: [String] {
        guard let listen = configuration.metrics.listen, !listen.isLoopback else { return [] }
        return ["metrics.listen \(listen) is reachable from other machines: anyone who can connect reads the pools' ids, names "
            + "and states; listen on 127.0.0.1 (a local Prometheus or a reverse proxy) or restrict the port with a firewall"]
    }

    /// `Hooks:  failed: /usr/local/bin/page-oncall --team data`, one line per event, then how
    /// each run is bounded and retried.
    private var hookLines: [String] {
        let hooks = configuration.hooks
        guard !hooks.commands.isEmpty else { return ["Hooks:           none"] }
        var lines: [String] = []
        for kind in HookSettings.hookableKinds {
            guard let command = hooks.commands[kind] else { continue }
            lines.append((lines.isEmpty ? "Hooks:           " : "                 ") + "\(kind.rawValue): \(command.displayed)")
        }
        let waits = hooks.retrySchedule.delays.map { EventText.duration($0) }
        lines.append("                 each run at most \(EventText.duration(hooks.timeout)), \(hooks.attempts) attempt\(hooks.attempts == 1 ? "" : "s")"
            + (waits.isEmpty ? "" : " (retried after " + waits.joined(separator: ", ") + ")"))
        return lines
    }

    private var retryLine: String {
        let retry = settings.retry
        var line = "\(retry.maxAttempts) attempts per call" + (retry.maxAttemptsSetting.map { " (from \($0))" } ?? "") + ", standard mode"
        if retry.requestedMode != "standard" { line += " (\(retry.requestedMode) asked for: not supported)" }
        return line
    }

    /// `https through http://proxy:3128 (from HTTPS_PROXY); http direct; direct for localhost (NO_PROXY)`.
    static func proxyLine(_ proxies: ProxySettings, configured: Bool) -> String {
        guard !proxies.isDirect else { return configured ? "none (aws.proxy names none)" : "none (HTTPS_PROXY, HTTP_PROXY and their lower-case forms are unset)" }
        func via(_ proxy: ProxyServer?) -> String {
            proxy.map { "through \($0) (from \($0.setting))" } ?? "direct"
        }
        var line = "https \(via(proxies.https)); http \(via(proxies.http))"
        if let noProxy = proxies.noProxy {
            line += "; direct for \(noProxy.entries.joined(separator: ", ")) (from \(noProxy.setting))"
        }
        return line
    }

    /// `us-east-1  https://cognito-sync.us-east-1.amazonaws.com  through http://proxy:3128`.
    private func routeLine(region: String) -> String {
        let resolved: ResolvedEndpoint
        do {
            resolved = try EndpointResolver.cognitoSync.resolve(
                region: region, settings: configuration.aws.endpointSettings, environment: environment)
        } catch {
            return "\(region): no endpoint: \(error.message)"
        }
        let proxy = settings.network.serviceProxies.proxy(for: resolved.url)
        return "\(region): \(resolved.url.absoluteString) " + (proxy.map { "through the proxy \($0)" } ?? "direct")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
