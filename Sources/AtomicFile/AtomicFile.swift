public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files replaced whole: written to a temporary file in the same folder and renamed over the
/// target, so that a reader (or the next start after a `kill -9`) sees the old content or the
/// new, never a part.
///
/// The state files, the hook spool, the status file, the metrics textfile and the IAM Identity
/// Center token cache are all written this way; only the permissions and whether the write must
/// also survive a power cut differ.
public enum AtomicFile {
    /// How much a replacement is worth.
    public enum Durability: Sendable {
        /// The data and the rename are on the disk (fsync of the file and of its folder) before
        /// `replace` returns: for what must survive a power cut, such as the watcher's state.
        case synced
        /// Whole or not at all for readers, but the kernel writes it back when it likes: for
        /// files rewritten often whose loss a restart repairs.
        case unsynced
    }

    /// Why a replacement failed: the step, the file it was about, and the system's reason.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Step: Sendable, Equatable {
            /// Writing the temporary file (the folder is missing or not writable, the disk is full).
            case write
            /// Renaming the temporary file over the target.
            case replace
            /// Syncing the folder after the rename.
            case sync
        }

        public var step: Step
        /// The temporary file for ``Step/write``, the target otherwise.
        public var path: String
        /// `strerror(errno)`: "No such file or directory".
        public var reason: String

        public var description: String {
            switch step {
            case .write: "cannot write \(path): \(reason)"
            case .replace: "cannot replace \(path): \(reason)"
            case .sync: "cannot sync \(path): \(reason)"
            }
        }
    }

    /// Replaces (or creates) the file at `path` with `data`, through `temporary` (by default
    /// `.NAME.PID.tmp` beside it), with exactly `permissions` whatever the process's umask.
    public static func replace(
        _ path: String, with data: Data, permissions: mode_t, durability: Durability, temporary: String? = nil
    ) throws(Failure) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = temporary ?? url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        try writeTemporary(data, to: temporary, permissions: permissions, synced: durability == .synced)
        guard rename(temporary, path) == 0 else {
            let failure = Failure(step: .replace, path: path, reason: errnoText())
            unlink(temporary)
            throw failure
        }
        if durability == .synced {
            try syncFolder(folder)
        }
    }

    private static func writeTemporary(_ data: Data, to path: String, permissions: mode_t, synced: Bool) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw Failure(step: .write, path: path, reason: errnoText()) }
        defer { close(descriptor) }
        // open(2) applies the umask (the unit's is 0077); a file meant for a group needs fchmod.
        guard fchmod(descriptor, permissions) == 0 else { throw Failure(step: .write, path: path, reason: errnoText()) }
        var code = data.withUnsafeBytes { writeAll($0, to: descriptor) }
        if code == nil, synced, fsync(descriptor) != 0 { code = errno }
        if let code {
            unlink(path)
            throw Failure(step: .write, path: path, reason: String(cString: strerror(code)))
        }
    }

    private static func syncFolder(_ path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(step: .sync, path: path, reason: errnoText()) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(step: .sync, path: path, reason: errnoText()) }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
