/// One INI file as found on disk: missing, unreadable, or its sections.
package struct LoadedINIFile: Sendable {
    /// The largest shared file accepted; real ones are a few KiB.
    static let sizeLimit = 1024 * 1024

    var path: String
    /// Nil when there is no file at `path` or it cannot be read (botocore reads both as "no file").
    package var contents: INIFile?
    /// Why the file could not be read, when it is there but unreadable ("cannot be read:
    /// permission denied"): botocore (Python's `configparser.read`) skips such a file silently;
    /// the watcher skips it too but says so.
    package var unreadable: String?

    /// Reads and parses `path`. A missing or unreadable file is not an error (the latter is kept
    /// in ``unreadable`` for a warning); a file that is not UTF-8 or not INI is.
    package static func load(_ path: String, source: String) throws(CredentialError) -> LoadedINIFile {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.contents(of: path, limit: sizeLimit)
        } catch {
            guard !error.isAbsence else { return LoadedINIFile(path: path, contents: nil) }
            return LoadedINIFile(path: path, contents: nil, unreadable: error.reason)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CredentialError(.malformedFile, source: source, message: "\(path) is not valid UTF-8")
        }
        do {
            return LoadedINIFile(path: path, contents: try INIFile(parsing: text))
        } catch {
            throw CredentialError(.malformedFile, source: source, message: "\(path) \(error.description)")
        }
    }

    /// Says whether the file was there, for messages listing what was looked at.
    var summary: String {
        if let unreadable { return "\(path) (\(unreadable))" }
        return contents == nil ? "\(path) (no such file)" : path
    }

    /// The warning for a file skipped because it could not be read, naming the fix.
    var unreadableWarning: String? {
        unreadable.map { reason in
            "\(path) \(reason); it is skipped as if it did not exist (as the AWS CLI does): "
                + "make it readable by this user, or remove it"
        }
    }

    /// The notConfigured message for a file that is not there to read.
    package var absenceMessage: String {
        if let unreadable { return "\(path) \(unreadable) (skipped)" }
        return "\(path) does not exist"
    }
}
