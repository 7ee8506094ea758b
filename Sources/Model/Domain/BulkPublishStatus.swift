/// The status of a pool's last bulk publish, as `GetBulkPublishDetails` reports it.
///
/// A value the service may add later is kept in ``unrecognized(_:)`` so that it is reported,
/// never a crash.
public enum BulkPublishStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// No bulk publish has been requested for this identity pool.
    case notStarted
    /// Data is being published to the configured stream.
    case inProgress
    /// Some portion of the data has failed to publish; `FailureMessage` says why.
    case failed
    /// All data for the identity pool has been published to the configured stream.
    case succeeded
    /// A value this version does not know.
    case unrecognized(String)

    /// Maps the wire value; anything unknown is kept as it came.
    public init(rawValue: String) {
        switch rawValue {
        case "NOT_STARTED": self = .notStarted
        case "IN_PROGRESS": self = .inProgress
        case "FAILED": self = .failed
        case "SUCCEEDED": self = .succeeded
        default: self = .unrecognized(rawValue)
        }
    }

    /// The value as the API spells it.
    public var rawValue: String {
        switch self {
        case .notStarted: "NOT_STARTED"
        case .inProgress: "IN_PROGRESS"
        case .failed: "FAILED"
        case .succeeded: "SUCCEEDED"
        case .unrecognized(let value): value
        }
    }

    /// Whether the run has ended, one way or the other.
    public var isFinished: Bool {
        self == .succeeded || self == .failed
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
