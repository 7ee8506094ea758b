public import Model

/// Where the daemon's events go: the journal, stderr, a test's recorder.
///
/// Delivery is at-least-once: the daemon persists a pool's state only after ``deliver(_:)``
/// returned, so an event a sink did not accept is derived and delivered again later.
public protocol EventSink: Sendable {
    /// Writes `events`; returns once they are accepted, throws if they were not.
    func deliver(_ events: [WatchEvent]) throws
}
