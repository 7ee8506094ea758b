import Foundation

/// One INI file as found on disk: missing, or its sections.
struct LoadedINIFile: Sendable {
    var path: String
    /// Nil when there is no regular file at `path` (botocore treats that as "no file").
    var contents: INIFile?

    /// Reads and parses `path`; a missing file is not an error, an unreadable or malformed one is.
    static func load(_ path: String, source: String) throws(CredentialError) -> LoadedINIFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return LoadedINIFile(path: path, contents: nil)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CredentialError(
                .unreadableFile, source: source,
                message: "cannot read \(path) (check its owner and permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CredentialError(.unreadableFile, source: source, message: "\(path) is not valid UTF-8")
        }
        do {
            return LoadedINIFile(path: path, contents: try INIFile(parsing: text))
        } catch {
            throw CredentialError(.malformedFile, source: source, message: "\(path) \(error.description)")
        }
    }

    /// Says whether the file was there, for messages listing what was looked at.
    var summary: String {
        contents == nil ? "\(path) (no such file)" : path
    }
}
