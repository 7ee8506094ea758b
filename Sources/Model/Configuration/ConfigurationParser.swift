public import Foundation

/// Reads a JSON configuration and checks every key, collecting all problems before failing.
///
/// Unknown keys are errors: a misspelt `stallAfterSecond` must never be ignored silently.
public enum ConfigurationParser {
    /// Parses and validates `data`.
    /// - Throws: ``ConfigurationError`` listing every problem, each with its JSON path.
    public static func parse(_ data: Data) throws(ConfigurationError) -> WatcherConfiguration {
        try JSONDocumentReader.read(data, as: WatcherConfiguration.self) { reader, root in
            reader.configuration(root)
        }
    }
}

/// The keys of each object, for the unknown-key check and its "did you mean" hint.
enum ConfigurationKeys {
    static let root = ["aws", "stateDirectory", "runtimeDirectory", "limits", "defaults", "pools", "metrics", "hooks"]
    static let metrics = ["listen", "textfile"]
    static let aws = ["region", "endpoint", "profile", "useFIPSEndpoint", "useDualStackEndpoint", "caBundle", "proxy"]
    static let proxy = ["https", "http", "noProxy"]
    static let limits = ["maxRequestsPerSecond", "maxConcurrentPolls", "requestTimeoutSeconds"]
    static let settings = [
        "inProgressIntervalSeconds", "idleIntervalSeconds", "finishedIntervalSeconds", "stallAfterSeconds",
        "reportErrorsAfter", "jitter", "errorBackoffBaseSeconds", "errorBackoffMaxSeconds",
    ]
    static let pool = ["id", "name", "region", "profile", "roleArn"] + settings
}

/// The configuration's sections; every check reports and goes on.
private extension JSONDocumentReader {
    mutating func configuration(_ root: JSONValue) -> WatcherConfiguration? {
        guard case .object(let object) = root else {
            report("$", "the configuration must be a JSON object, not \(root.typeDescription)",
                   hint: "see config.example.json")
            return nil
        }
        checkKeys(object, allowed: ConfigurationKeys.root, path: "")
        let aws = awsOptions(object["aws"], path: "aws")
        let stateDirectory = absolutePath(object["stateDirectory"], path: "stateDirectory")
        let runtimeDirectory = absolutePath(object["runtimeDirectory"], path: "runtimeDirectory", example: "/run/cognito-sync-watcher")
        let limits = requestLimits(object["limits"], path: "limits")
        var defaults = PoolSettings.standard
        if let value = object["defaults"], let fields = self.object(value, path: "defaults") {
            checkKeys(fields, allowed: ConfigurationKeys.settings, path: "defaults")
            defaults = settings(fields, base: .standard, path: "defaults")
        }
        let pools = pools(object["pools"], defaults: defaults, aws: aws)
        let metrics = metricsOptions(object["metrics"], path: "metrics")
        let hooks = hookSettings(object["hooks"], path: "hooks")
        return WatcherConfiguration(
            aws: aws, stateDirectory: stateDirectory, runtimeDirectory: runtimeDirectory, limits: limits, defaults: defaults, pools: pools, metrics: metrics,
            hooks: hooks)
    }

    // MARK: - Sections

    private mutating func awsOptions(_ value: JSONValue?, path: String) -> AWSOptions {
        var options = AWSOptions()
        guard let value, let object = object(value, path: path) else { return options }
        checkKeys(object, allowed: ConfigurationKeys.aws, path: path)
        if let region = string(object["region"], path: "\(path).region") {
            if Self.isRegion(region) {
                options.region = region
            } else {
                report("\(path).region", "'\(region)' is not an AWS region name", hint: "for example 'us-east-1' or 'eu-west-2'")
            }
        }
        if let endpoint = string(object["endpoint"], path: "\(path).endpoint") {
            if let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
               let host = url.host, !host.isEmpty {
                options.endpoint = endpoint
            } else {
                report("\(path).endpoint", "'\(endpoint)' is not an http(s) URL with a host",
                       hint: "for example 'https://cognito-sync.us-east-1.amazonaws.com' or the simulator's 'https://127.0.0.1:4600'")
            }
        }
        if let profile = string(object["profile"], path: "\(path).profile") {
            if !Self.isProfileName(profile) {
                report("\(path).profile", "the profile name must be non-empty, on one line, without '[' or ']'")
            } else {
                options.profile = profile
            }
        }
        options.useFIPSEndpoint = bool(object["useFIPSEndpoint"], path: "\(path).useFIPSEndpoint") ?? false
        options.useDualStackEndpoint = bool(object["useDualStackEndpoint"], path: "\(path).useDualStackEndpoint") ?? false
        options.caBundle = absolutePath(object["caBundle"], path: "\(path).caBundle", example: "/etc/ssl/certs/corporate-ca.pem")
        options.proxy = proxyOptions(object["proxy"], path: "\(path).proxy")
        if options.endpoint != nil, options.useFIPSEndpoint || options.useDualStackEndpoint {
            report("\(path).endpoint", "a custom endpoint cannot be combined with useFIPSEndpoint or useDualStackEndpoint",
                   hint: "remove one of them: the custom endpoint is used as it is")
        }
        return options
    }

    /// A URL for both schemes, or an object with `https`, `http` and `noProxy`.
    private mutating func proxyOptions(_ value: JSONValue?, path: String) -> ProxyOptions? {
        guard let value else { return nil }
        if case .null = value { return nil }
        if case .string(let url) = value {
            guard !url.isEmpty else {
                report(path, "is empty", hint: "give the proxy's URL, e.g. \"http://proxy.example.com:3128\", or remove the key")
                return nil
            }
            return ProxyOptions(https: url, http: url)
        }
        guard let object = object(value, path: path) else { return nil }
        checkKeys(object, allowed: ConfigurationKeys.proxy, path: path)
        var options = ProxyOptions()
        options.https = string(object["https"], path: "\(path).https")
        options.http = string(object["http"], path: "\(path).http")
        switch object["noProxy"] {
        case nil, .null?:
            break
        case .string(let list)?:
            options.noProxy = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case let other?:
            if let entries = array(other, path: "\(path).noProxy") {
                for (index, entry) in entries.enumerated() {
                    if let host = string(entry, path: "\(path).noProxy[\(index)]") { options.noProxy.append(host) }
                }
            }
        }
        if options.https == nil, options.http == nil {
            report(path, "names no proxy", hint: "set \"https\" (the proxy for AWS's https endpoints), or remove the key")
            return nil
        }
        return options
    }

    private mutating func metricsOptions(_ value: JSONValue?, path: String) -> MetricsOptions {
        var options = MetricsOptions()
        guard let value, let object = object(value, path: path) else { return options }
        checkKeys(object, allowed: ConfigurationKeys.metrics, path: path)
        if let text = string(object["listen"], path: "\(path).listen") {
            if let address = ListenAddress(parsing: text) {
                options.listen = address
            } else {
                report("\(path).listen", "'\(text)' is not a host and port to listen on",
                       hint: "for example \"127.0.0.1:9464\" or \"[::1]:9464\"")
            }
        }
        if let file = absolutePath(object["textfile"], path: "\(path).textfile",
                                   example: "/var/lib/prometheus/node-exporter/cognito-sync-watcher.prom") {
            if file.hasSuffix(".prom"), !file.hasSuffix("/.prom") {
                options.textfile = file
            } else {
                report("\(path).textfile", "'\(file)' does not end in .prom, so node_exporter's textfile collector would not read it",
                       hint: "for example '/var/lib/prometheus/node-exporter/cognito-sync-watcher.prom'")
            }
        }
        if object.isEmpty {
            report(path, "names neither \"listen\" nor \"textfile\"",
                   hint: "set \"listen\": \"127.0.0.1:9464\" to serve /metrics, or remove the section")
        }
        return options
    }

    private mutating func requestLimits(_ value: JSONValue?, path: String) -> RequestLimits {
        var limits = RequestLimits()
        guard let value, let object = object(value, path: path) else { return limits }
        checkKeys(object, allowed: ConfigurationKeys.limits, path: path)
        if let rate = number(object["maxRequestsPerSecond"], path: "\(path).maxRequestsPerSecond", in: 0.01...1000) {
            limits.maxRequestsPerSecond = rate
        }
        if let concurrency = integer(object["maxConcurrentPolls"], path: "\(path).maxConcurrentPolls", in: 1...1024) {
            limits.maxConcurrentPolls = concurrency
        }
        if let timeout = seconds(object["requestTimeoutSeconds"], path: "\(path).requestTimeoutSeconds", in: 1...300) {
            limits.requestTimeout = timeout
        }
        return limits
    }

    private mutating func settings(_ object: [String: JSONValue], base: PoolSettings, path: String) -> PoolSettings {
        var settings = base
        let day: Double = 86_400
        if let value = seconds(object["inProgressIntervalSeconds"], path: "\(path).inProgressIntervalSeconds", in: 1...day) {
            settings.inProgressInterval = value
        }
        if let value = seconds(object["idleIntervalSeconds"], path: "\(path).idleIntervalSeconds", in: 1...day) {
            settings.idleInterval = value
        }
        if let value = seconds(object["finishedIntervalSeconds"], path: "\(path).finishedIntervalSeconds", in: 1...day) {
            settings.finishedInterval = value
        }
        if let value = seconds(object["stallAfterSeconds"], path: "\(path).stallAfterSeconds", in: 1...(30 * day)) {
            settings.stallAfter = value
        }
        if let value = integer(object["reportErrorsAfter"], path: "\(path).reportErrorsAfter", in: 1...1000) {
            settings.reportErrorsAfter = value
        }
        if let value = number(object["jitter"], path: "\(path).jitter", in: 0...0.5) {
            settings.jitter = value
        }
        if let value = seconds(object["errorBackoffBaseSeconds"], path: "\(path).errorBackoffBaseSeconds", in: 0.1...3600) {
            settings.errorBackoffBase = value
        }
        if let value = seconds(object["errorBackoffMaxSeconds"], path: "\(path).errorBackoffMaxSeconds", in: 1...day) {
            settings.errorBackoffMax = value
        }
        // Relations between settings, checked on the result so inherited values count too.
        if settings.stallAfter < settings.inProgressInterval {
            report("\(path).stallAfterSeconds",
                   "the stall limit (\(Self.format(settings.stallAfter.seconds)) s) is shorter than the in-progress poll interval "
                    + "(\(Self.format(settings.inProgressInterval.seconds)) s), so a stall could not be seen in time",
                   hint: "make stallAfterSeconds at least inProgressIntervalSeconds")
        }
        if settings.errorBackoffMax < settings.errorBackoffBase {
            report("\(path).errorBackoffMaxSeconds",
                   "the longest error backoff (\(Self.format(settings.errorBackoffMax.seconds)) s) is shorter than its base "
                    + "(\(Self.format(settings.errorBackoffBase.seconds)) s)",
                   hint: "make errorBackoffMaxSeconds at least errorBackoffBaseSeconds")
        }
        return settings
    }

    private mutating func pools(_ value: JSONValue?, defaults: PoolSettings, aws: AWSOptions) -> [WatchedPool] {
        guard let value else {
            report("pools", "is missing", hint: "list the identity pools to watch, e.g. \"pools\": [{\"id\": \"us-east-1:…\"}]")
            return []
        }
        guard case .array(let entries) = value else {
            wrongType(value, expected: "an array", path: "pools")
            return []
        }
        if entries.isEmpty {
            report("pools", "is empty: there is nothing to watch", hint: "add at least one identity pool")
        }
        var pools: [WatchedPool] = []
        var seenIDs: [IdentityPoolID: Int] = [:]
        var seenNames: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "pools[\(index)]"
            guard let pool = pool(entry, path: path, defaults: defaults, aws: aws) else { continue }
            if let first = seenIDs[pool.id] {
                report("\(path).id", "'\(pool.id)' is listed twice (first at pools[\(first)])", hint: "remove one of the entries")
                continue
            }
            if let name = pool.name, let first = seenNames[name] {
                report("\(path).name", "the name '\(name)' is already used by pools[\(first)]",
                       hint: "give every pool its own name, so journal entries tell them apart")
            }
            seenIDs[pool.id] = index
            if let name = pool.name { seenNames[name] = index }
            pools.append(pool)
        }
        return pools
    }

    private mutating func pool(_ entry: JSONValue, path: String, defaults: PoolSettings, aws: AWSOptions) -> WatchedPool? {
        var fields: [String: JSONValue]
        switch entry {
        case .string:
            fields = ["id": entry]
        case .object(let object):
            fields = object
            checkKeys(object, allowed: ConfigurationKeys.pool, path: path)
        default:
            wrongType(entry, expected: "an object with an \"id\" (or the id as a string)", path: path)
            return nil
        }
        guard let rawID = string(fields["id"], path: "\(path).id", required: true) else { return nil }
        let id: IdentityPoolID
        do {
            id = try IdentityPoolID(validating: rawID)
        } catch {
            report("\(path).id", "'\(rawID)' is not a valid identity pool id: \(error.description)",
                   hint: "copy the id from the Cognito console or `aws cognito-identity list-identity-pools`")
            return nil
        }
        var name: String?
        if let value = string(fields["name"], path: "\(path).name") {
            if value.isEmpty || value.count > 100 || value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                report("\(path).name", "the name must be 1 to 100 characters without control characters")
            } else {
                name = value
            }
        }
        var region: String?
        if let value = string(fields["region"], path: "\(path).region") {
            if Self.isRegion(value) {
                region = value
            } else {
                report("\(path).region", "'\(value)' is not an AWS region name", hint: "for example 'us-east-1'")
            }
        } else if aws.region == nil, !Self.isRegion(id.region) {
            report("\(path).id", "the part before ':' ('\(id.region)') is not an AWS region, so the endpoint cannot be chosen",
                   hint: "set \(path).region or aws.region")
        }
        let settings = settings(fields, base: defaults, path: path)
        var identity = PoolIdentity()
        if let profile = string(fields["profile"], path: "\(path).profile") {
            if Self.isProfileName(profile) {
                identity.profile = profile
            } else {
                report("\(path).profile", "the profile name must be non-empty, on one line, without '[' or ']'")
            }
        }
        if let role = string(fields["roleArn"], path: "\(path).roleArn") {
            if role.wholeMatch(of: /arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@\/-]{1,512}/) != nil {
                identity.roleARN = role
            } else {
                report("\(path).roleArn", "'\(role)' is not a role ARN", hint: "for example 'arn:aws:iam::123456789012:role/cognito-sync-watcher'")
            }
        }
        return WatchedPool(
            id: id, name: name, region: region ?? aws.region ?? id.region, settings: settings,
            identity: identity.profile == nil && identity.roleARN == nil ? nil : identity)
    }

    private mutating func absolutePath(_ value: JSONValue?, path: String, example: String = "/var/lib/cognito-sync-watcher") -> String? {
        guard let text = string(value, path: path) else { return nil }
        guard text.hasPrefix("/") else {
            report(path, "'\(text)' is not an absolute path", hint: "for example '\(example)'")
            return nil
        }
        return text
    }

    // MARK: - Helpers

    /// A profile name the shared files can hold: on one line, without brackets.
    private static func isProfileName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains(where: { $0.isNewline || $0 == "[" || $0 == "]" })
    }

    /// Region names as AWS forms them: `us-east-1`, `us-gov-west-1`, `us-isob-east-1`.
    private static func isRegion(_ text: String) -> Bool {
        text.wholeMatch(of: /[a-z]{2}(-[a-z]+)+-[0-9]+/) != nil
    }
}
