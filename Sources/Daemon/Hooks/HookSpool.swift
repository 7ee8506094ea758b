public import Model

/// Events waiting for their hook to succeed, kept where a restart finds them again.
///
/// The sink adds an event before the loop saves the pool's state; the runner removes it only
/// once its hook succeeded (or was given up). Anything in between, a crash or `kill -9` included,
/// leaves it in the spool for the next start: at-least-once delivery.
public protocol HookSpool: Sendable {
    /// Keeps `payload` durably unless the same event is already waiting; returns its entry.
    /// - Throws: when it could not be kept (the loop then reports the event again later).
    func add(_ payload: HookPayload) throws -> SpooledHook
    /// Everything waiting, oldest first, and warnings about entries that could not be read.
    func pending() -> (hooks: [SpooledHook], warnings: [String])
    /// The file to hand the hook as its standard input: the event's JSON.
    func inputPath(for hook: SpooledHook) -> String
    /// Forgets `hook`, once it succeeded or was given up.
    func remove(_ hook: SpooledHook) throws
}

/// One event waiting for its hook.
public struct SpooledHook: Sendable, Equatable {
    /// Unique per event: the same event spooled twice is one entry, so its hook runs once.
    public var name: String
    public var payload: HookPayload

    public init(name: String, payload: HookPayload) {
        self.name = name
        self.payload = payload
    }

    /// The event's kind, whose hook runs.
    public var kind: WatchEvent.Kind? { WatchEvent.Kind(rawValue: payload.event) }
}
