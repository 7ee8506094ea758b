import CSystemd
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sends entries to journald's native socket (`/run/systemd/journal/socket`) with
/// `sd_journal_sendv`.
public struct JournalWriter: Sendable {
    /// Where libsystemd sends entries; fixed in libsystemd.
    static let socketPath = "/run/systemd/journal/socket"

    public init() {}

    /// Writes `fields` as one entry: one iovec per field, so that a value can hold any bytes
    /// without breaking the entry.
    /// - Throws: ``JournalError`` when journald did not take the entry or is not running.
    public func send(_ fields: [JournalField]) throws(JournalError) {
        guard !fields.isEmpty else { return }
        // sd_journal_sendv reports success when the socket does not exist ("fail silently if the
        // journal is not available"); the daemon would then persist state for events nobody
        // stored. A missing socket is an error here, so they are delivered again later.
        guard access(Self.socketPath, F_OK) == 0 else { throw JournalError(errno: ENOENT) }
        let encoded = fields.map(\.encoded)
        var buffer = encoded.flatMap { $0 }
        let result = buffer.withUnsafeMutableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress else { return -EINVAL }
            var vectors: [iovec] = []
            vectors.reserveCapacity(encoded.count)
            var offset = 0
            for field in encoded {
                vectors.append(iovec(iov_base: base + offset, iov_len: field.count))
                offset += field.count
            }
            return sd_journal_sendv(vectors, Int32(vectors.count))
        }
        if result < 0 {
            throw JournalError(errno: -result)
        }
    }
}
