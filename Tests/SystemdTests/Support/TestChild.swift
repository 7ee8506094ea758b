import Foundation

/// Runs a test of this binary in a child process with an environment of its own.
///
/// libsystemd reads `NOTIFY_SOCKET` and `WATCHDOG_*` with getenv(3); changing them with setenv(3)
/// in the test process would race with every other thread that reads the environment (any test
/// starting a process). A child started with the variables set needs no setenv at all.
enum TestChild {
    /// Which child role this process plays, or `nil` in the test run `swift test` started.
    static let role = ProcessInfo.processInfo.environment["SYSTEMD_TESTS_CHILD"]

    /// Runs the tests matching `filter` in a child playing `role`, with `environment` applied
    /// to this process's environment (`nil` removes a variable). With `execThroughShell`, the
    /// child is started by `sh`, which sets `WATCHDOG_PID` to the pid the child will have.
    static func run(
        role: String, filter: String, environment changes: [String: String?], watchdogPIDIsChild: Bool = false
    ) async throws -> Subprocess.Result {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in changes { environment[name] = value }
        environment["SYSTEMD_TESTS_CHILD"] = role
        let arguments = ["--testing-library", "swift-testing", "--filter", filter]
        if watchdogPIDIsChild {
            // exec keeps the shell's pid, so $$ is the pid of the test binary.
            return try await Subprocess.run(
                "/bin/sh", ["-c", #"WATCHDOG_PID=$$ exec "$0" "$@""#, binary] + arguments, environment: environment
            )
        }
        return try await Subprocess.run(binary, arguments, environment: environment)
    }

    /// Whether the child's output shows that exactly `count` tests ran and passed (a filter that
    /// matches nothing must not pass for a success).
    static func ran(_ count: Int, in output: String) -> Bool {
        output.contains("Test run with \(count) test") && output.contains("passed after")
            && !output.contains("failed after")
    }
}
