import AtomicFile
import Foundation

/// The daemon's files that survive a crash whole or not at all (state, hook spool, status):
/// replaced through a temporary file in the same folder, synced before and after the rename,
/// so that after a power cut or a `kill -9` each holds either the old content or the new.
enum DurableFile {
    /// Replaces (or creates) `target` with `data`, through `temporary` (same folder), with
    /// `permissions` whatever the process's umask.
    static func replace(_ target: URL, with data: Data, temporary: URL, permissions: mode_t = 0o600) throws(StateStoreError) {
        do {
            try AtomicFile.replace(target.path, with: data, permissions: permissions, durability: .synced, temporary: temporary.path)
        } catch {
            throw StateStoreError(error.description)
        }
    }
}
