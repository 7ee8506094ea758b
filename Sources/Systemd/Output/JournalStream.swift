import CSystemd
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file's identity, as `fstat(2)` reports it: the device and inode numbers.
public struct FileIdentity: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The identity of what file descriptor 2 points at, or `nil` if it is closed.
    public static func standardError() -> FileIdentity? {
        var device: UInt64 = 0
        var inode: UInt64 = 0
        guard csw_file_identity(STDERR_FILENO, &device, &inode) == 0 else { return nil }
        return FileIdentity(device: device, inode: inode)
    }
}

/// systemd's `JOURNAL_STREAM` protocol: how a process learns that its stderr goes to the journal.
public enum JournalStream {
    /// Whether standard error is the stream systemd connected to journald.
    ///
    /// systemd sets `JOURNAL_STREAM=DEVICE:INODE` (decimal) for services whose output goes to the
    /// journal; the variable is inherited by child processes whose stderr may point elsewhere, so
    /// it counts only when the numbers match `fstat(2)` of stderr (`systemd.exec(5)`).
    public static func standardErrorIsJournal(environment: [String: String], standardError: FileIdentity?) -> Bool {
        guard let standardError, let stream = environment["JOURNAL_STREAM"].flatMap(parse) else { return false }
        return stream == standardError
    }

    /// Parses `DEVICE:INODE`; `nil` for anything else.
    static func parse(_ value: String) -> FileIdentity? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        return FileIdentity(device: device, inode: inode)
    }
}
