public import Foundation

/// The daemon's status file: what the running daemon last saw of every pool, with when it was
/// written and by which process, so `daemon-status` can tell a live view from a stale one.
///
/// The daemon rewrites it whole (a temporary file renamed over it) within a second or so of a
/// pool's change and at least every ``refreshSeconds``, and a last time when it stops. Times are
/// ISO 8601 UTC to the second.
public struct DaemonView: Sendable, Equatable, Codable {
    /// The format this build writes and reads.
    public static let currentFormat = 1
    /// The file's name in the runtime (or state) directory.
    public static let fileName = "status.json"

    public var format: Int
    /// The daemon's version (`0.2.0+g1a2b3c4`).
    public var version: String
    /// The daemon's process id.
    public var pid: Int32
    /// When the daemon started.
    public var startedAt: Date
    /// When this view was taken.
    public var writtenAt: Date
    /// The longest the daemon goes without rewriting the file while it runs.
    public var refreshSeconds: Double
    /// When the daemon stopped, in the last view it writes; `nil` while it runs.
    @ExplicitNull public var stoppedAt: Date?
    /// Every pool the daemon watches, in the configuration's order.
    public var pools: [PoolView]

    public init(
        version: String, pid: Int32, startedAt: Date, writtenAt: Date, refreshSeconds: Double, stoppedAt: Date? = nil, pools: [PoolView]
    ) {
        self.format = Self.currentFormat
        self.version = version
        self.pid = pid
        self.startedAt = startedAt
        self.writtenAt = writtenAt
        self.refreshSeconds = refreshSeconds
        self.stoppedAt = stoppedAt
        self.pools = pools
    }

    private enum CodingKeys: String, CodingKey {
        case format, version, pid, startedAt, writtenAt, refreshSeconds, stoppedAt, pools
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(Int.self, forKey: .format)
        guard format == Self.currentFormat else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: "it is in format \(format), this version reads format \(Self.currentFormat); "
                    + "run the daemon-status of the version the daemon runs")
        }
        version = try container.decode(String.self, forKey: .version)
        pid = try container.decode(Int32.self, forKey: .pid)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        writtenAt = try container.decode(Date.self, forKey: .writtenAt)
        refreshSeconds = try container.decode(Double.self, forKey: .refreshSeconds)
        stoppedAt = try container.decodeIfPresent(Date.self, forKey: .stoppedAt)
        pools = try container.decode([PoolView].self, forKey: .pools)
    }

    /// The file's content: one line of JSON, keys sorted.
    public func encoded() throws -> Data {
        let encoder = Self.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a file's content.
    /// - Throws: ``DaemonViewError`` saying in words what is wrong with it.
    public static func decode(_ data: Data) throws(DaemonViewError) -> DaemonView {
        do {
            return try decoder().decode(DaemonView.self, from: data)
        } catch let error as DecodingError {
            throw DaemonViewError(reason: Self.describe(error))
        } catch {
            throw DaemonViewError(reason: "it is not a status file of the daemon")
        }
    }

    /// The encoder of the file and of `daemon-status --json`: ISO 8601 times.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "it is not JSON (cut short, or not written by the daemon)"
        case .dataCorrupted(let context) where context.codingPath.map(\.stringValue) == [CodingKeys.format.stringValue]:
            return context.debugDescription
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        @unknown default:
            return "it is not a status file of the daemon"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
}

/// A status file that cannot be used, and why.
public struct DaemonViewError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
