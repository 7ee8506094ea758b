#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#endif
import Foundation

/// A named pipe that a helper script opens for writing as it starts, for a test to wait on
/// rather than sleep: the lines the script writes there (its pid, say), and the moment every
/// process that holds it open is gone (the script and the children that inherited it).
///
/// The script does `exec 3>"$FIFO"` first and writes to descriptor 3; its children inherit it.
public final class StartSignal: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Makes the pipe at `path` and opens its reading end (not blocking: no writer is there yet).
    public init(path: String) throws(CleanSpawn.Failure) {
        guard mkfifo(path, 0o600) == 0 else { throw CleanSpawn.Failure("mkfifo \(path) failed: \(String(cString: strerror(errno)))") }
        // Close-on-exec: a child that another test starts must not hold it open.
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw CleanSpawn.Failure("cannot open \(path): \(String(cString: strerror(errno)))") }
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// A `#!/bin/sh` helper that hangs: it opens this pipe, starts a child that sleeps for
    /// ever, writes "PID CHILD-PID" and waits for the child. Both keep the pipe open.
    public var hangingHelperScript: String {
        """
        #!/bin/sh
        exec 3>'\(path)'
        sleep 2147483647 &
        echo "$$ $!" >&3
        wait
        """
    }

    /// The pids that ``hangingHelperScript`` writes once it runs, or nil if it does not start
    /// within `timeout` or writes something else.
    public func helperPIDs(timeout: Duration) async -> [pid_t]? {
        guard let line = await firstLine(timeout: timeout) else { return nil }
        let pids = line.split(separator: " ").compactMap { pid_t($0) }
        return pids.count == 2 ? pids : nil
    }

    /// The first line a writer sends, or nil if none comes within `timeout` (a bound on the
    /// wait should the script never start, not a delay anything relies on).
    public func firstLine(timeout: Duration) async -> String? {
        await onOwnThread { [descriptor] in
            var received: [UInt8] = []
            let ended = Self.read(descriptor, until: .now + timeout) { chunk in
                received += chunk
                return received.contains(UInt8(ascii: "\n"))
            }
            guard let newline = received.firstIndex(of: UInt8(ascii: "\n")), ended != nil else { return nil }
            return String(decoding: received[..<newline], as: UTF8.self)
        }
    }

    /// Waits until every process that opened the pipe for writing has closed it, which for a
    /// script that keeps it open means: it and every child that inherited it have exited.
    /// False if that does not happen within `timeout`.
    public func waitForAllWritersToExit(timeout: Duration) async -> Bool {
        await onOwnThread { [descriptor] in
            Self.read(descriptor, until: .now + timeout) { _ in false } == .endOfFile
        }
    }

    private enum Ending { case enough, endOfFile }

    /// Reads whatever comes until `enough` says so or every writer is gone (Linux reports a hang-up
    /// on a pipe only once a writer has come and gone, so a script that has not started yet is
    /// waited for); nil at the deadline.
    private static func read(_ descriptor: Int32, until deadline: ContinuousClock.Instant, enough: ([UInt8]) -> Bool) -> Ending? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while waitUntilReadable(descriptor, by: deadline) {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                if enough(Array(buffer[..<count])) { return .enough }
                continue
            }
            if count < 0, errno == EAGAIN || errno == EINTR { continue }
            return .endOfFile
        }
        return nil
    }
}

/// Waits with poll(2) until `descriptor` is readable or hung up: true then, false once `deadline`
/// has passed (or poll fails).
func waitUntilReadable(_ descriptor: Int32, by deadline: ContinuousClock.Instant) -> Bool {
    while true {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return false }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
        let ready = poll(&entry, 1, milliseconds)
        if ready > 0 { return true }
        if ready < 0, errno != EINTR { return false }
    }
}
