#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes scripts that tests then run.
///
/// The file is opened close-on-exec: a test running in parallel that starts a process while the
/// script is being written must not carry the open descriptor into its child, or running the
/// script fails with ETXTBSY ("Text file busy") for as long as that child lives.
public enum ExecutableScript {
    /// Writes `text` to `path` with mode 0755.
    public static func write(_ text: String, to path: String) throws(CleanSpawn.Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw CleanSpawn.Failure("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw CleanSpawn.Failure("cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += written
        }
        // An existing file keeps its mode through O_CREAT: set it.
        guard fchmod(descriptor, 0o755) == 0 else { throw CleanSpawn.Failure("cannot chmod \(path): \(String(cString: strerror(errno)))") }
    }
}
