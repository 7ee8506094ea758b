import Foundation
import Model

/// Reads the configuration file from disk, turning IO failures into messages a person can act on.
enum ConfigurationFile {
    /// Where the configuration lives when no path is given: systemd's `ConfigurationDirectory=`
    /// if set, else `/etc/cognito-sync-watcher`.
    static func defaultPath(environment: [String: String]) -> String {
        let directory = environment["CONFIGURATION_DIRECTORY"]?.split(separator: ":").first.map(String.init)
            ?? "/etc/cognito-sync-watcher"
        return directory + "/config.json"
    }

    /// The largest file accepted; a config is a few kilobytes even with thousands of pools per MB.
    static let maximumSize = 16 * 1024 * 1024

    static func load(path: String) throws -> WatcherConfiguration {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > maximumSize {
                throw ConfigurationFileError(path: path, reason: "the file is \(size) bytes, more than the \(maximumSize) accepted")
            }
            if let type = attributes[.type] as? FileAttributeType, type == .typeDirectory {
                throw ConfigurationFileError(path: path, reason: "it is a directory; name the JSON file inside it")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ConfigurationFileError {
            throw error
        } catch {
            throw ConfigurationFileError(path: path, reason: Self.describe(error, path: path))
        }
        do {
            return try ConfigurationParser.parse(data)
        } catch {
            throw ConfigurationFileError(path: path, reason: error.description)
        }
    }

    private static func describe(_ error: any Error, path: String) -> String {
        if !FileManager.default.fileExists(atPath: path) {
            return "no such file (pass the path of your configuration; config.example.json shows every key)"
        }
        if !FileManager.default.isReadableFile(atPath: path) {
            return "permission denied (the file must be readable by the user the watcher runs as)"
        }
        return "cannot be read: \((error as NSError).localizedDescription)"
    }
}

/// A configuration file that could not be used, with the path and the reason.
struct ConfigurationFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "\(path): \(reason)" }
}
