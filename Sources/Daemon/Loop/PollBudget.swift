public import AWSCore
public import AWSCredentialProviders

/// How long one poll can legitimately take, from the client's settings: past that, a poll in
/// flight means the loop is stuck, and the watchdog is no longer pinged.
public enum PollBudget {
    /// Every attempt running into the request timeout, the retry waits between them at their
    /// longest, and a `credential_process` running to its own timeout before the first, plus
    /// ``margin``. With the defaults (10 s, 3 attempts, 20 s, 60 s): 30 + 40 + 60 + 60 = 190 s.
    public static func longestLegitimatePoll(
        requestTimeout: Duration,
        maxAttempts: Int = StandardRetryStrategy.defaultMaxAttempts,
        maxBackoff: Duration = StandardRetryStrategy.defaultMaxBackoff,
        credentialTimeout: Duration = ProcessCredentialProvider.defaultTimeout
    ) -> Duration {
        let attempts = max(1, maxAttempts)
        return requestTimeout * attempts + maxBackoff * (attempts - 1) + credentialTimeout + margin
    }

    /// Room for what no setting bounds: a slow disk under the state save, a busy machine.
    public static let margin = Duration.seconds(60)
}
