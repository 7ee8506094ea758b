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
        /// Whether there is no file at the path at all (nothing there, or a directory), which
        /// botocore's `os.path.isfile` check reads as "no file".
        public var isAbsence = false
    }

    /// The bytes of the file at `path`, at most `limit` of them.
    ///
    /// Reads until the end rather than asking `fstat(2)` for the size: a directory then fails
    /// its first read with `EISDIR`, and a file that grows is cut off at the limit all the same.
    public static func contents(of path: String, limit: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base, buffer.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            guard bytes.count <= limit else {
                throw Failure(reason: "is larger than the \(limit / 1024) KiB accepted")
            }
        }
    }

    private static func failure(_ code: Int32) -> Failure {
        switch code {
        case ENOENT: Failure(reason: "does not exist", isAbsence: true)
        case EACCES: Failure(reason: "cannot be read: permission denied", permissionDenied: true)
        case EISDIR: Failure(reason: "is a directory, not a file", isAbsence: true)
        case ENOTDIR: Failure(reason: "does not exist (a part of its path is not a directory)", isAbsence: true)
        default: Failure(reason: "cannot be read: " + String(cString: strerror(code)))
        }
    }
}
