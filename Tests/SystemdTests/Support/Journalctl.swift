import Foundation

/// Reads entries back from the journal with `journalctl`.
enum Journalctl {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func path() throws -> String {
        guard let path = Subprocess.locate(["/usr/bin/journalctl", "/bin/journalctl"]) else {
            throw Failure(description: "journalctl is not installed")
        }
        return path
    }

    /// Waits until journald has stored everything sent so far (`journalctl --sync` returns only then).
    static func sync() async throws {
        let result = try await Subprocess.run(path(), ["--sync"])
        guard result.status == 0 else { throw Failure(description: "journalctl --sync failed: \(result.output)") }
    }

    /// The entries `arguments` select, each field with all its values (journald keeps repeated fields).
    static func entries(_ arguments: [String]) async throws -> [[String: [String]]] {
        let result = try await Subprocess.run(path(), ["--no-pager", "-o", "json"] + arguments)
        guard result.status == 0 else { throw Failure(description: "journalctl \(arguments) failed: \(result.output)") }
        return try result.output.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw Failure(description: "journalctl printed something that is not an entry: \(line)")
            }
            return object.mapValues { value -> [String] in
                switch value {
                case let text as String: [text]
                case let texts as [String]: texts
                // journalctl prints a value that is not valid UTF-8 or not printable as an array of bytes.
                case let bytes as [Int]: ["<binary: \(bytes.count) bytes>"]
                default: ["<\(value)>"]
                }
            }
        }
    }

    /// The text `journalctl` prints for `arguments` (e.g. `-x` with the catalog).
    static func text(_ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(path(), ["--no-pager"] + arguments)
        guard result.status == 0 else { throw Failure(description: "journalctl \(arguments) failed: \(result.output)") }
        return result.output
    }
}
