import Foundation
import Model

/// Reads scenario JSON strictly: unknown keys, wrong types and impossible values are errors,
/// collected with their paths before failing, so a typo never silently changes a test.
enum ScenarioParser {
    static func scenario(from data: Data) throws(ScenarioError) -> Scenario {
        try read(data) { $0.scenario($1) }
    }

    static func fault(from data: Data) throws(ScenarioError) -> FaultRule {
        try read(data) { $0.fault($1, path: "", allowPool: true) }
    }

    /// Scenario keys are often shortened (`delay` for `delaySeconds`), so abbreviations are
    /// suggested as the key they begin.
    private static func read<Value>(
        _ data: Data, _ walk: (inout JSONDocumentReader, JSONValue) -> Value?
    ) throws(ScenarioError) -> Value {
        try JSONDocumentReader.read(data, as: Scenario.self, matchesAbbreviations: true, walk)
    }
}

/// The keys each object may hold.
enum ScenarioKeys {
    static let root = ["description", "verifySignatures", "credentials", "roles", "pools", "faults"]
    static let role = ["arn", "externalId", "webIdentityToken"]
    static let credential = ["accessKeyId", "secretAccessKey", "sessionToken", "expiresAfterSeconds"]
    static let pool = ["id", "name", "timeline", "bulkPublish", "faults"]
    static let timelineEntry = ["at", "status", "startedAt", "failureMessage"]
    static let bulkPublish = ["durationSeconds", "outcome", "failureMessage"]
    static let fault = [
        "fault", "name", "pool", "operations", "from", "until", "count",
        "delaySeconds", "sizeBytes", "status", "retryAfterMilliseconds", "message",
    ]
    static let poolFault = fault.filter { $0 != "pool" }
}

/// The scenario's sections; every check reports and goes on.
private extension JSONDocumentReader {
    /// The largest `huge` body: big enough to trip any sane client limit, small enough not to
    /// exhaust the machine running the simulator.
    static let maximumHugeSize = 256 * 1024 * 1024

    mutating func scenario(_ root: JSONValue) -> Scenario? {
        guard case .object(let object) = root else {
            report("$", "a scenario must be a JSON object, not \(root.typeDescription)", hint: "see scenarios/demo.json")
            return nil
        }
        checkKeys(object, allowed: ScenarioKeys.root, path: "")
        let description = string(object["description"], path: "description")
        let verify = bool(object["verifySignatures"], path: "verifySignatures") ?? true
        let credentials = credentials(object["credentials"])
        let pools = pools(object["pools"])
        var faults: [FaultRule] = []
        if let entries = array(object["faults"], path: "faults") {
            for (index, entry) in entries.enumerated() {
                if let rule = fault(entry, path: "faults[\(index)]", allowPool: true) {
                    if let pool = rule.pool, !pools.contains(where: { $0.id == pool }) {
                        report("faults[\(index)].pool", "'\(pool)' is not one of the scenario's pools",
                               hint: "a fault for an unknown pool would never apply")
                    }
                    faults.append(rule)
                }
            }
        }
        return Scenario(scenarioDescription: description, verifySignatures: verify, credentials: credentials,
                        pools: pools, faults: faults, roles: roles(object["roles"]))
    }

    /// The roles STS lets callers assume.
    private mutating func roles(_ value: JSONValue?) -> [ScenarioRole] {
        guard let entries = array(value, path: "roles") else { return [] }
        var roles: [ScenarioRole] = []
        for (index, entry) in entries.enumerated() {
            let path = "roles[\(index)]"
            guard let object = object(entry, path: path) else { continue }
            checkKeys(object, allowed: ScenarioKeys.role, path: path)
            guard let arn = string(object["arn"], path: "\(path).arn", required: true) else { continue }
            guard arn.wholeMatch(of: /arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@\/-]{1,512}/) != nil else {
                report("\(path).arn", "'\(arn)' is not a role ARN", hint: "for example arn:aws:iam::123456789012:role/cognito-sync-watcher")
                continue
            }
            roles.append(ScenarioRole(
                arn: arn, externalID: nonEmptyString(object["externalId"], path: "\(path).externalId"),
                webIdentityToken: nonEmptyString(object["webIdentityToken"], path: "\(path).webIdentityToken")))
        }
        return roles
    }

    // MARK: - Sections

    private mutating func credentials(_ value: JSONValue?) -> [ScenarioCredential] {
        guard let entries = array(value, path: "credentials") else { return [.demo] }
        var credentials: [ScenarioCredential] = []
        var seen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "credentials[\(index)]"
            guard let object = object(entry, path: path) else { continue }
            checkKeys(object, allowed: ScenarioKeys.credential, path: path)
            let keyID = string(object["accessKeyId"], path: "\(path).accessKeyId", required: true)
            let secret = string(object["secretAccessKey"], path: "\(path).secretAccessKey", required: true)
            let token = string(object["sessionToken"], path: "\(path).sessionToken")
            let expires = number(object["expiresAfterSeconds"], path: "\(path).expiresAfterSeconds", in: -1e9...1e9)
            if let keyID, keyID.isEmpty || keyID.contains(where: { $0 == "/" || $0.isWhitespace }) {
                report("\(path).accessKeyId", "an access key id must be non-empty, without '/' or spaces")
                continue
            }
            if let secret, secret.isEmpty {
                report("\(path).secretAccessKey", "must not be empty")
                continue
            }
            if let token, token.isEmpty {
                report("\(path).sessionToken", "must not be empty", hint: "use null for long-lived keys")
            }
            guard let keyID, let secret else { continue }
            if let first = seen[keyID] {
                report("\(path).accessKeyId", "'\(keyID)' is declared twice (first at credentials[\(first)])")
                continue
            }
            seen[keyID] = index
            credentials.append(ScenarioCredential(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token,
                                                  expiresAfterSeconds: expires))
        }
        return credentials
    }

    private mutating func pools(_ value: JSONValue?) -> [ScenarioPool] {
        guard let value else {
            report("pools", "is missing", hint: "list the identity pools the simulated service knows")
            return []
        }
        guard let entries = array(value, path: "pools") else { return [] }
        var pools: [ScenarioPool] = []
        var seen: [IdentityPoolID: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "pools[\(index)]"
            guard let pool = pool(entry, path: path) else { continue }
            if let first = seen[pool.id] {
                report("\(path).id", "'\(pool.id)' is listed twice (first at pools[\(first)])")
                continue
            }
            seen[pool.id] = index
            pools.append(pool)
        }
        return pools
    }

    private mutating func pool(_ entry: JSONValue, path: String) -> ScenarioPool? {
        guard let object = object(entry, path: path) else { return nil }
        checkKeys(object, allowed: ScenarioKeys.pool, path: path)
        let id = poolID(object["id"], path: "\(path).id", required: true)
        let name = string(object["name"], path: "\(path).name")
        var timeline: [TimelineEntry] = []
        if let entries = array(object["timeline"], path: "\(path).timeline") {
            for (index, entry) in entries.enumerated() {
                let entryPath = "\(path).timeline[\(index)]"
                guard let parsed = timelineEntry(entry, path: entryPath) else { continue }
                if let previous = timeline.last, parsed.at < previous.at {
                    report("\(entryPath).at",
                           "\(Self.format(parsed.at)) comes before the previous entry's \(Self.format(previous.at))",
                           hint: "list timeline entries in ascending order of 'at'")
                }
                timeline.append(parsed)
            }
        }
        let behaviour = bulkPublish(object["bulkPublish"], path: "\(path).bulkPublish")
        var faults: [FaultRule] = []
        if let entries = array(object["faults"], path: "\(path).faults") {
            for (index, entry) in entries.enumerated() {
                if let rule = fault(entry, path: "\(path).faults[\(index)]", allowPool: false) {
                    faults.append(rule)
                }
            }
        }
        guard let id else { return nil }
        return ScenarioPool(id: id, name: name, timeline: timeline, bulkPublish: behaviour, faults: faults)
    }

    private mutating func timelineEntry(_ entry: JSONValue, path: String) -> TimelineEntry? {
        guard let object = object(entry, path: path) else { return nil }
        checkKeys(object, allowed: ScenarioKeys.timelineEntry, path: path)
        let at = number(object["at"], path: "\(path).at", in: -1e9...1e9, required: true)
        let status = statusString(object["status"], path: "\(path).status", required: true)
        let startedAt = number(object["startedAt"], path: "\(path).startedAt", in: -1e9...1e9)
        let failureMessage = string(object["failureMessage"], path: "\(path).failureMessage")
        guard let at, let status else { return nil }
        if failureMessage != nil, status != .failed {
            report("\(path).failureMessage", "only a FAILED entry carries a failure message (this one is \(status))",
                   hint: "the service sends FailureMessage with FAILED only")
        }
        if startedAt != nil, status == .notStarted {
            report("\(path).startedAt", "a NOT_STARTED entry has no run, so no start time")
        }
        return TimelineEntry(at: at, status: status, startedAt: startedAt, failureMessage: failureMessage)
    }

    private mutating func bulkPublish(_ value: JSONValue?, path: String) -> BulkPublishBehaviour {
        var behaviour = BulkPublishBehaviour()
        guard let value, value != .null, let object = object(value, path: path) else { return behaviour }
        checkKeys(object, allowed: ScenarioKeys.bulkPublish, path: path)
        if let duration = number(object["durationSeconds"], path: "\(path).durationSeconds", in: 0...(30 * 86_400)) {
            behaviour.durationSeconds = duration
        }
        if let outcome = statusString(object["outcome"], path: "\(path).outcome") {
            if outcome.isFinished {
                behaviour.outcome = outcome
            } else {
                report("\(path).outcome", "'\(outcome)' is not an outcome", hint: "use SUCCEEDED or FAILED")
            }
        }
        if let message = string(object["failureMessage"], path: "\(path).failureMessage") {
            if behaviour.outcome == .failed {
                behaviour.failureMessage = message
            } else {
                report("\(path).failureMessage", "only a FAILED outcome carries a failure message")
            }
        }
        return behaviour
    }

    mutating func fault(_ entry: JSONValue, path: String, allowPool: Bool) -> FaultRule? {
        let here = path.isEmpty ? "$" : path
        guard let object = object(entry, path: here) else { return nil }
        checkKeys(object, allowed: allowPool ? ScenarioKeys.fault : ScenarioKeys.poolFault, path: path)
        func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

        guard let kindName = string(object["fault"], path: key("fault"), required: true) else { return nil }
        guard let kind = FaultKind(rawValue: kindName) else {
            let names = FaultKind.allCases.map(\.rawValue)
            let hint = closest(to: kindName, in: names).map { "did you mean '\($0)'?" }
                ?? "one of \(names.joined(separator: ", "))"
            report(key("fault"), "'\(kindName)' is not a fault", hint: hint)
            return nil
        }
        var rule = FaultRule(kind)
        rule.name = string(object["name"], path: key("name"))
        if allowPool {
            rule.pool = poolID(object["pool"], path: key("pool"))
        }
        if let names = array(object["operations"], path: key("operations")) {
            var operations: Set<ServiceOperation> = []
            for (index, value) in names.enumerated() {
                guard let name = string(value, path: key("operations[\(index)]"), required: true) else { continue }
                if let operation = ServiceOperation(rawValue: name) {
                    operations.insert(operation)
                } else {
                    report(key("operations[\(index)]"), "'\(name)' is not an operation of the simulator",
                           hint: "use \(ServiceOperation.allCases.map(\.rawValue).joined(separator: " or "))")
                }
            }
            if names.isEmpty {
                report(key("operations"), "is empty, so the fault would never apply", hint: "omit it for every operation")
            }
            rule.operations = operations
        }
        rule.from = number(object["from"], path: key("from"), in: -1e9...1e9)
        rule.until = number(object["until"], path: key("until"), in: -1e9...1e9)
        if let from = rule.from, let until = rule.until, until <= from {
            report(key("until"),
                   "\(Self.format(until)) is not after from (\(Self.format(from))), so the fault would never apply")
        }
        rule.count = integer(object["count"], path: key("count"), in: 1...1_000_000_000)

        rule.delaySeconds = option(object, "delaySeconds", of: rule.kind, for: [.slow], path: key("delaySeconds")) {
            $0.number($1, path: $2, in: 0.001...3600)
        }
        rule.sizeBytes = option(object, "sizeBytes", of: rule.kind, for: [.huge], path: key("sizeBytes")) {
            $0.integer($1, path: $2, in: 1...Self.maximumHugeSize)
        }
        rule.status = option(object, "status", of: rule.kind, for: [.unknownStatus], path: key("status")) {
            $0.nonEmptyString($1, path: $2)
        }
        rule.retryAfterMilliseconds = option(object, "retryAfterMilliseconds", of: rule.kind, for: [.throttle429, .throttling400],
                                             path: key("retryAfterMilliseconds")) {
            $0.integer($1, path: $2, in: 0...3_600_000)
        }
        let errorKinds = Set(FaultKind.allCases.filter(\.isError))
        rule.message = option(object, "message", of: rule.kind, for: errorKinds, path: key("message")) {
            $0.string($1, path: $2)
        }
        return rule
    }

    /// Reads a kind-specific option, reporting it when given to a fault it means nothing to.
    private mutating func option<Value>(
        _ object: [String: JSONValue],
        _ name: String,
        of kind: FaultKind,
        for kinds: Set<FaultKind>,
        path: String,
        read: (inout JSONDocumentReader, JSONValue?, String) -> Value?
    ) -> Value? {
        guard let value = object[name], value != .null else { return nil }
        guard kinds.contains(kind) else {
            let owners = kinds.map(\.rawValue).sorted().joined(separator: ", ")
            report(path, "does not apply to a '\(kind.rawValue)' fault", hint: "it is an option of \(owners)")
            return nil
        }
        return read(&self, value, path)
    }

    // MARK: - Values

    private mutating func statusString(_ value: JSONValue?, path: String, required: Bool = false) -> BulkPublishStatus? {
        guard let text = string(value, path: path, required: required) else { return nil }
        if text.isEmpty {
            report(path, "a status must not be empty", hint: "NOT_STARTED, IN_PROGRESS, SUCCEEDED, FAILED, or any other string")
            return nil
        }
        return BulkPublishStatus(rawValue: text)
    }

    private mutating func poolID(_ value: JSONValue?, path: String, required: Bool = false) -> IdentityPoolID? {
        guard let raw = string(value, path: path, required: required) else { return nil }
        do {
            return try IdentityPoolID(validating: raw)
        } catch {
            report(path, "'\(raw)' is not a valid identity pool id: \(error.description)")
            return nil
        }
    }
}
