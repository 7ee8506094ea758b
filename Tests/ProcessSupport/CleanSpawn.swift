#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#endif

/// Starts child processes for tests with posix_spawn(3), the way a service manager would.
///
/// Not Foundation's `Process`: a test runs on a thread that blocks most signals (libdispatch's
/// worker threads do), and `Process` passes that mask on, so a child would never see SIGTERM or
/// SIGINT. Here the child starts with no signal blocked and default signal actions, whatever
/// thread starts it.
public enum CleanSpawn {
    /// Why a child could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(_ description: String) {
            self.description = description
        }
    }

    /// Starts `executable` with exactly `environment`, stdin from /dev/null, and stdout and
    /// stderr on the given descriptors (the same one for both to collect them together).
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], stdout: Int32, stderr: Int32
    ) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, number)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for `pid` to end: its exit status, or 128 + the signal that ended it (as a shell
    /// reports it).
    public static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// A pipe whose ends are close-on-exec from birth, so a child spawned at the same moment by
    /// another test cannot inherit them and hold them open (Glibc's module does not export
    /// pipe2, so it is looked up at run time).
    public static func makePipe() throws(Failure) -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pipe2") else {
            throw Failure("pipe2 is not available")
        }
        let pipe2 = unsafeBitCast(symbol, to: Pipe2.self)
        guard descriptors.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.map { pipe2($0, O_CLOEXEC) } ?? -1 }) == 0 else {
            throw Failure("pipe2 failed: errno \(errno)")
        }
        return (descriptors[0], descriptors[1])
    }
}
