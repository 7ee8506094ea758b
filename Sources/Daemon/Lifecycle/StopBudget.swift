/// How the daemon's stop fits in the time systemd gives it.
///
/// The unit sets `TimeoutStopSec=30s` (`deploy/systemd/cognito-sync-watcher.service`): that long
/// after SIGTERM, systemd kills whatever is left with SIGKILL and records the stop as failed.
/// Nothing saved is lost then, but a kill at every stop would hide a real fault, so the daemon
/// ends well inside it, whatever it was waiting for: polls in flight get a grace period to
/// finish, are then cancelled (a `credential_process` that hangs is killed), and each of the
/// steps after them (hooks killed, credential helpers ended, connections closed) is waited for
/// only until ``total`` has passed since SIGTERM.
public enum StopBudget {
    /// The unit's `TimeoutStopSec=`; a test checks that the two agree.
    public static let unitStopTimeout: Duration = .seconds(30)

    /// Left free below the unit's timeout: the process's own exit (its last journal lines, the
    /// runtime's teardown) must still fit on a machine busy with other services.
    public static let margin: Duration = .seconds(5)

    /// The whole stop, from SIGTERM to the exit: 25 s.
    public static var total: Duration { unitStopTimeout - margin }

    /// How long polls in flight may take to finish before they are cancelled. A poll takes
    /// milliseconds; 10 s lets one whose request is under way run to the default request
    /// timeout (`requestTimeoutSeconds`, 10), and leaves 15 s of ``total`` for the steps after.
    public static let pollGracePeriod: Duration = .seconds(10)
}
