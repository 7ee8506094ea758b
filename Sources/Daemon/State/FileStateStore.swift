public import Foundation
public import Model

/// Per-pool state as one JSON file per pool under `<directory>/pools/`.
///
/// One file per pool keeps a save proportional to one pool, however many are watched. Each
/// save writes a temporary file, fsyncs it, renames it over the old one and fsyncs the
/// directory, so a crash leaves either the old state or the new one.
public struct FileStateStore: PoolStateStore {
    public let directory: URL
    private var poolsDirectory: URL { directory.appendingPathComponent("pools", isDirectory: true) }

    /// Uses `directory`, creating it (and `pools/` inside) if needed.
    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("pools"), withIntermediateDirectories: true)
        } catch {
            throw StateStoreError("cannot create the state directory \(directory.path): \(Self.describe(error)); "
                + "set stateDirectory in the configuration or StateDirectory= in the unit")
        }
    }

    /// The state directory: systemd's `$STATE_DIRECTORY` when the unit sets one (the only
    /// place a hardened unit may write), else the configuration's, else
    /// `/var/lib/cognito-sync-watcher`.
    public static func directory(configured: String?, environment: [String: String]) -> URL {
        if let fromSystemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first {
            return URL(fileURLWithPath: String(fromSystemd), isDirectory: true)
        }
        if let configured { return URL(fileURLWithPath: configured, isDirectory: true) }
        return URL(fileURLWithPath: "/var/lib/\(BuildInfo.name)", isDirectory: true)
    }

    public func loadAll() -> (states: [IdentityPoolID: PoolState], warnings: [String]) {
        var states: [IdentityPoolID: PoolState] = [:]
        var warnings: [String] = []
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: poolsDirectory.path)
        } catch {
            return ([:], ["cannot list \(poolsDirectory.path): \(Self.describe(error)); starting without saved state"])
        }
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = poolsDirectory.appendingPathComponent(name)
            let rawID = String(name.dropLast(".json".count))
            // A file that cannot be read now (EIO, EMFILE, EACCES) may be fine later: it is left
            // where it is. Only one whose content is wrong is moved aside.
            let data: Data
            do {
                data = try Data(contentsOf: file)
            } catch {
                warnings.append("cannot read the state file \(file.path) (\(Self.describe(error))); left as it is, "
                    + "and the pool starts afresh until it can be read, so its latest run may be reported again")
                continue
            }
            do {
                let id = try IdentityPoolID(validating: rawID)
                states[id] = try JSONDecoder().decode(PoolState.self, from: data)
            } catch {
                let aside = file.path + ".corrupt-\(Int(Date().timeIntervalSince1970))"
                let moved = (try? FileManager.default.moveItem(atPath: file.path, toPath: aside)) != nil
                warnings.append("the state file \(file.path) cannot be used (\(Self.describe(error))); "
                    + (moved ? "moved it to \(aside) and " : "")
                    + "the pool starts afresh, so its latest run may be reported again")
            }
        }
        return (states, warnings)
    }

    public func save(_ state: PoolState, for pool: IdentityPoolID) throws {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(state)
        } catch {
            throw StateStoreError("cannot encode the state of \(pool): \(error)")
        }
        let target = poolsDirectory.appendingPathComponent(pool.rawValue + ".json")
        let temporary = poolsDirectory.appendingPathComponent(".\(pool.rawValue).json.tmp")
        try DurableFile.replace(target, with: data, temporary: temporary)
    }

    private static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                return context.debugDescription
            @unknown default:
                return "unreadable JSON"
            }
        }
        if let invalid = error as? IdentityPoolIDError { return "the file name is not a pool id: \(invalid)" }
        return (error as NSError).localizedDescription
    }
}

/// The state directory or a state file could not be used.
public struct StateStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
