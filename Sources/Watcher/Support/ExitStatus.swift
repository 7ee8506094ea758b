/// The exit statuses of every command, documented in `--help` and the README.
enum ExitStatus: Int32, CaseIterable {
    /// Done: every pool answered (status), every bulk publish SUCCEEDED (wait).
    case success = 0
    /// A bulk publish FAILED.
    case bulkPublishFailed = 1
    /// A usage or configuration error.
    case usage = 2
    /// An error that waiting cannot fix: not authorized, not found, an invalid id, no credentials.
    case lastingError = 3
    /// BulkPublish refused: a run already SUCCEEDED in the last 24 hours.
    case alreadyStreamed = 4
    /// The service could not be reached or kept failing (timeouts, 5xx, throttling) after retries.
    case unavailable = 5
    /// `daemon-status`: the daemon is not running, or its view is stale or unreadable.
    case daemonNotRunning = 6
    /// `--timeout` ran out (the value `timeout(1)` uses).
    case timedOut = 124
    /// Interrupted by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
    case interrupted = 130

    /// One line per status, for the help texts; short enough not to wrap at 80 columns.
    static let helpText = """
        Exit status:
          0    success
          1    a bulk publish FAILED (its FailureMessage is on stderr)
          2    usage or configuration error
          3    an error waiting cannot fix (not authorized, pool not found,
               invalid id, no credentials)
          4    BulkPublish refused: a run already SUCCEEDED in the last 24 hours
          5    the service stayed unavailable (timeouts, 5xx, throttling)
          6    daemon-status: the daemon is not running, or its view is stale
          124  --timeout ran out
          130  interrupted (SIGINT or SIGTERM)
        """
}

/// A command's failure: one sentence for stderr and the exit status.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
