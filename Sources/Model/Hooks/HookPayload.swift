public import Foundation

/// What a hook is told about its event: one JSON object on standard input, and the same facts in
/// `CSW_` environment variables.
///
/// Every key is always present in the JSON (`null` when unknown), and every variable is always
/// set (empty when unknown), so a script under `set -u` or a `jq` filter needs no guards. Times
/// are ISO 8601 in UTC. This is also what the spool file of a pending hook holds, so a hook
/// retried after a restart gets exactly what the first run got.
public struct HookPayload: Sendable, Equatable, Codable {
    /// The configuration key of the event: `started`, `succeeded`, `failed` or `stalled`.
    public var event: String
    /// Stable across restarts and redeliveries: the journal's `EVENT_ID`. Hooks deduplicate on it.
    public var eventId: String
    /// As `journalctl -p` names it: `err`, `warning`, `notice`.
    public var severity: String
    public var poolId: String
    public var poolName: String?
    public var status: String?
    public var previousStatus: String?
    public var failureMessage: String?
    public var bulkPublishStartTime: String?
    public var bulkPublishCompleteTime: String?
    /// How long the run took (finished runs) or has taken (stalls).
    public var durationSeconds: Double?
    /// When the watcher saw the event.
    public var observedAt: String
    /// The journal's `MESSAGE`: one sentence for a chat message or a mail subject.
    public var message: String

    public init(_ event: WatchEvent) {
        self.event = event.kind.rawValue
        eventId = event.identity
        severity = event.severity.description
        poolId = event.poolID.rawValue
        poolName = event.poolName
        status = event.status?.rawValue
        previousStatus = event.previousStatus?.rawValue
        failureMessage = event.failureMessage
        bulkPublishStartTime = event.startTime.map(EventText.timestamp)
        bulkPublishCompleteTime = event.completeTime.map(EventText.timestamp)
        durationSeconds = event.duration?.seconds
        observedAt = EventText.timestamp(event.observedAt)
        message = event.message
    }

    private enum CodingKeys: String, CodingKey {
        case event, eventId, severity, poolId, poolName, status, previousStatus, failureMessage
        case bulkPublishStartTime, bulkPublishCompleteTime, durationSeconds, observedAt, message
    }

    /// One value of the contract: text, or a number in JSON (text in the environment).
    private enum Field {
        case text(String?)
        case number(Double?)

        var text: String? {
            switch self {
            case .text(let text): text
            // Whole seconds without a fraction, as a shell compares them: `95`, not `95.0`.
            case .number(let value?) where value == value.rounded() && value.magnitude < 1e15: String(Int64(value))
            case .number(let value): value.map { String($0) }
            }
        }
    }

    /// Every key with its value, in one list, so that the JSON and the variables cannot disagree.
    private var fields: [(CodingKeys, Field)] {
        [
            (.event, .text(event)), (.eventId, .text(eventId)), (.severity, .text(severity)), (.poolId, .text(poolId)),
            (.poolName, .text(poolName)), (.status, .text(status)), (.previousStatus, .text(previousStatus)),
            (.failureMessage, .text(failureMessage)), (.bulkPublishStartTime, .text(bulkPublishStartTime)),
            (.bulkPublishCompleteTime, .text(bulkPublishCompleteTime)), (.durationSeconds, .number(durationSeconds)),
            (.observedAt, .text(observedAt)), (.message, .text(message)),
        ]
    }

    /// Writes `null` for what is unknown instead of leaving the key out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for (key, field) in fields {
            switch field {
            case .text(let text): try container.encode(text, forKey: key)
            case .number(let number): try container.encode(number, forKey: key)
            }
        }
    }

    /// The JSON object on one line, keys sorted, followed by a newline.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The `CSW_` variables, each set (empty when unknown), named after the JSON keys:
    /// `bulkPublishStartTime` is `CSW_BULK_PUBLISH_START_TIME`.
    public var variables: [String: String] {
        var variables: [String: String] = [:]
        for (key, field) in fields {
            // A NUL cannot travel in an environment variable: it would end the value early.
            variables[Self.variableName(key.rawValue)] = (field.text ?? "").replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
        }
        return variables
    }

    /// `CSW_` and the key in upper snake case.
    private static func variableName(_ key: String) -> String {
        var name = "CSW_"
        for character in key {
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
        return name
    }

    /// The hook's whole environment: the daemon's own, less what must not reach a hook, with the
    /// event's ``variables`` laid over it.
    ///
    /// Removed: AWS keys and tokens a hook has no business holding, systemd's notification and
    /// watchdog variables (a hook must not speak for the daemon), and any inherited `CSW_`
    /// variable, so a stale one can never pass for the event's.
    public func environment(inheriting inherited: [String: String]) -> [String: String] {
        var environment = inherited.filter { name, _ in
            !Self.withheld.contains(name) && !name.hasPrefix("CSW_")
        }
        environment.merge(variables) { _, event in event }
        return environment
    }

    /// Inherited variables a hook never sees.
    public static let withheld: Set<String> = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
    ]
}
