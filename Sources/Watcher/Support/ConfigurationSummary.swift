import Model

/// What a valid configuration will do, as `check-config` prints it.
struct ConfigurationSummary {
    var configuration: WatcherConfiguration
    var path: String

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
        lines.append("State directory: " + (configuration.stateDirectory ?? "$STATE_DIRECTORY, else /var/lib/cognito-sync-watcher"))
        let limits = configuration.limits
        lines.append("Limits:          at most \(ConfigurationSummary.format(limits.maxRequestsPerSecond)) requests/s, \(limits.maxConcurrentPolls) polls at once, \(EventText.duration(limits.requestTimeout)) per request")
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
