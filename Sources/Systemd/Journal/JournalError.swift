#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// journald did not accept an entry (no journald listening, a full socket buffer, …).
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errno `sd_journal_sendv` returned, as a positive number.
    public let errno: Int32

    public init(errno: Int32) {
        self.errno = errno
    }

    public var description: String {
        if errno == ENOENT {
            return "the journal did not accept the entry: journald is not running (no /run/systemd/journal/socket)"
        }
        let reason = strerror(errno).map { String(cString: $0) } ?? "error \(errno)"
        return "the journal did not accept the entry: \(reason) (errno \(errno))"
    }
}
