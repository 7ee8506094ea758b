#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#endif
import Foundation

/// Whether a process, a child of ours or not, has ended: waited for through a pidfd (which
/// becomes readable when the process exits), so a test needs no sleep to see a kill take effect.
public enum ProcessEnd {
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    /// Waits up to `timeout` for `pid` to exit (a bound should it never do so); true once it has,
    /// or if no such process is left.
    public static func wait(for pid: pid_t, timeout: Duration) async -> Bool {
        await onOwnThread { waitBlocking(for: pid, timeout: timeout) }
    }

    /// Gone, or a zombie waiting to be reaped: either way no longer running. (A helper killed
    /// together with its parent is reaped by whichever process adopts it, in its own time.)
    public static func hasEnded(_ pid: pid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return kill(pid, 0) != 0
        }
        return status.contains("State:\tZ")
    }

    private static func waitBlocking(for pid: pid_t, timeout: Duration) -> Bool {
        // glibc 2.36 has pidfd_open(3); older ones only the system call, so it is looked up.
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pidfd_open") else { return hasEnded(pid) }
        let pidfdOpen = unsafeBitCast(symbol, to: PidfdOpen.self)
        let descriptor = pidfdOpen(pid, 0)
        guard descriptor >= 0 else { return errno == ESRCH }
        defer { close(descriptor) }
        return waitUntilReadable(descriptor, by: .now + timeout)
    }
}
