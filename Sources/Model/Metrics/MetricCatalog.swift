/// The names, help texts and label names of every metric the watcher exports, in one place:
/// the code that records a metric and the exporter that describes it read them from here, so a
/// series cannot be recorded under a name the documentation does not know.
public enum MetricCatalog {
    /// One metric family.
    public struct Family: Sendable, Hashable {
        public var name: String
        public var help: String
        public var labels: [String]

        init(_ name: String, _ labels: [String], _ help: String) {
            self.name = "cognito_sync_watcher_" + name
            self.help = help
            self.labels = labels
        }
    }

    public static let poolStatus = Family(
        "pool_status", ["pool", "name", "status"],
        "1 for the pool's current bulk publish status, 0 for the others (UNKNOWN before the first successful poll)")
    public static let lastTransition = Family(
        "pool_last_transition_timestamp_seconds", ["pool", "name"],
        "When the pool's current status began: the run's completion time once it finished, its start time while in progress")
    public static let runStart = Family(
        "bulk_publish_start_timestamp_seconds", ["pool", "name"], "BulkPublishStartTime of the pool's latest run")
    public static let runComplete = Family(
        "bulk_publish_complete_timestamp_seconds", ["pool", "name"], "BulkPublishCompleteTime of the pool's latest finished run")
    public static let polls = Family(
        "polls_total", ["pool", "name", "outcome"],
        "GetBulkPublishDetails polls by outcome: ok, throttled, client_error, server_error, network, credentials, malformed")
    public static let lastSuccessfulPoll = Family(
        "last_successful_poll_timestamp_seconds", ["pool", "name"], "When a poll of the pool last succeeded")
    public static let requestDuration = Family(
        "request_duration_seconds", ["region"], "Duration of each HTTP request to Cognito Sync, retries counted one by one")
    public static let retries = Family(
        "retries_total", ["region"], "Requests to Cognito Sync sent again after a failed attempt")
    public static let credentialsExpiry = Family(
        "credentials_expiry_timestamp_seconds", ["identity"],
        "When the AWS credentials in use expire, by identity; 0 for keys that do not expire")
    public static let events = Family("events_total", ["kind"], "Events reported, by kind")
    public static let buildInfo = Family("build_info", ["version"], "Always 1; the version of the running watcher")

    /// Every family, for the exporter's descriptions and the documentation's table.
    public static let all: [Family] = [
        poolStatus, lastTransition, runStart, runComplete, polls, lastSuccessfulPoll, requestDuration, retries,
        credentialsExpiry, events, buildInfo,
    ]

    /// The request duration histogram's buckets, in seconds: from a fast answer on the same
    /// continent to a request that runs into the longest configurable timeout.
    public static let requestDurationBuckets: [Double] = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// The `status` label for a pool: the API's value, or `UNKNOWN` before the first successful
    /// poll and for a value this version does not know.
    public static let statusValues = ["NOT_STARTED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "UNKNOWN"]

    /// The `identity` label of the configuration's own credentials.
    public static let defaultIdentity = "default"
}
