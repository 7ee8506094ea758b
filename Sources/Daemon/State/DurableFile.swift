import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that survive a crash whole or not at all: written to a temporary file in the same
/// folder, fsynced, renamed over the target, and the folder fsynced, so that after a power cut
/// or a `kill -9` the target holds either the old content or the new, never a part.
enum DurableFile {
    /// Replaces (or creates) `target` with `data`, through `temporary` (same folder), with
    /// `permissions` whatever the process's umask.
    static func replace(_ target: URL, with data: Data, temporary: URL, permissions: mode_t = 0o600) throws {
        try writeSynced(data, to: temporary.path, permissions: permissions)
        guard rename(temporary.path, target.path) == 0 else {
            let error = errnoText()
            unlink(temporary.path)
            throw StateStoreError("cannot replace \(target.path): \(error)")
        }
        try syncDirectory(target.deletingLastPathComponent().path)
    }

    private static func writeSynced(_ data: Data, to path: String, permissions: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw StateStoreError("cannot write \(path): \(errnoText())") }
        defer { close(descriptor) }
        // open(2) applies the umask (the unit's is 0077); a file meant for a group needs fchmod.
        guard fchmod(descriptor, permissions) == 0 else { throw StateStoreError("cannot set the permissions of \(path): \(errnoText())") }
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let result = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                offset += result
            }
            return offset
        }
        guard written == data.count, fsync(descriptor) == 0 else {
            throw StateStoreError("cannot write \(path): \(errnoText())")
        }
    }

    private static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StateStoreError("cannot open \(path): \(errnoText())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StateStoreError("cannot sync \(path): \(errnoText())") }
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
