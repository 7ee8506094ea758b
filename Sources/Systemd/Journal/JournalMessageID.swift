public import Model

/// The `MESSAGE_ID` of each kind of event: fixed 128-bit ids, so that
/// `journalctl MESSAGE_ID=…` finds every entry of one kind across releases, and the message
/// catalog (`deploy/systemd/cognito-sync-watcher.catalog`) explains each of them.
///
/// Never change an id once released; a new kind gets a new id (`journalctl --new-id128`).
public enum JournalMessageID {
    /// The id for events of `kind`, as 32 lower-case hex digits.
    public static func id(for kind: WatchEvent.Kind) -> String {
        switch kind {
        case .started: "b94c22debd5449bc8a0a8bd752f6ae0c"
        case .succeeded: "f8ffb7ae53c5442e9761d2c0d432ada3"
        case .failed: "940798936d63465e9600722e6ba29406"
        case .stalled: "3a8ff8edcf63405580b7c25ba5e39cdb"
        case .anomaly: "2d0ec473768f4fdfa045943d5b0a90d9"
        case .unrecognizedStatus: "b2ddbb2ba8ac43c2adfa07c880c20c27"
        case .pollFailing: "74dad167dd594cf6a263bb2dd3e9407c"
        case .pollRecovered: "442b2636b9fb42d29c85247246efe518"
        }
    }
}
