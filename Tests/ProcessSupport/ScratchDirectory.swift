public import Foundation

/// A fresh directory of one test's own under the system's temporary directory, removed with
/// everything in it when the last reference goes away.
public final class ScratchDirectory: Sendable {
    public let url: URL

    /// The directory's path.
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("csw-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `contents` to `name` inside the directory (making the directories on the way),
    /// with `permissions` if given, and returns the file's path.
    @discardableResult
    public func write(_ contents: String, to name: String, permissions: Int? = nil) throws -> String {
        let file = try parentMade(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file))
        if let permissions {
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: file)
        }
        return file
    }

    /// Writes an executable `#!/bin/sh` script with `body` to `name` and returns its path.
    @discardableResult
    public func script(_ name: String, _ body: String) throws -> String {
        let file = try parentMade(name)
        try ExecutableScript.write("#!/bin/sh\n" + body + "\n", to: file)
        return file
    }

    /// The path of `name` inside the directory, whose parent directories now exist.
    private func parentMade(_ name: String) throws -> String {
        let file = self.file(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return file
    }

    /// The path of `name` inside the directory, not created.
    public func file(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }
}
