/// The Cognito Sync operations the simulator answers.
public enum ServiceOperation: String, Sendable, Hashable, CaseIterable, Codable {
    case getBulkPublishDetails = "GetBulkPublishDetails"
    case bulkPublish = "BulkPublish"

    /// The last segment of the operation's request path, after the pool id.
    var pathSuffix: String {
        switch self {
        case .getBulkPublishDetails: "getBulkPublishDetails"
        case .bulkPublish: "bulkpublish"
        }
    }
}
