#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a small file whole, with failures in plain words (missing, a directory, permission
/// denied, too large) for messages that name the file.
public enum SmallFile {
    /// Why a file could not be read.
    public struct Failure: Error, Sendable, Equatable {
        /// "does not exist", "cannot be read: permission denied"… (to follow the file's name).
        public var reason: String
        /// Whether the file is there but this user may not read it.
        public var permissionDenied = false
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    public static func contents(of path: String, limit: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw Failure(reason: status.st_mode & S_IFMT == S_IFDIR ? "is a directory, not a file" : "is not a regular file")
        }
        let tooLarge = Failure(reason: "is larger than the \(limit / 1024) KiB accepted")
        guard Int(status.st_size) <= limit else { throw tooLarge }
        // One byte more than the size, to see a file that grew while it was read.
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            if count == 0 { break }
            filled += count
        }
        guard filled <= limit else { throw tooLarge }
        return Array(bytes[..<filled])
    }

    private static func failure(_ code: Int32) -> Failure {
        switch code {
        case ENOENT: Failure(reason: "does not exist")
        case EACCES: Failure(reason: "cannot be read: permission denied", permissionDenied: true)
        case ENOTDIR: Failure(reason: "does not exist (a part of its path is not a directory)")
        default: Failure(reason: "cannot be read: " + String(cString: strerror(code)))
        }
    }
}
