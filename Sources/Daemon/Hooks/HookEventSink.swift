public import Model

/// The hooks' side of event delivery: spools each event that has a hook, durably, before
/// returning, then tells the runner. It never runs a hook itself, so polling never waits on one.
///
/// A spool write that fails makes ``deliver(_:)`` throw, so the loop keeps the pool's old state
/// and derives the event again at the next poll: a hook is never lost to a full disk.
public struct HookEventSink: EventSink {
    private let spool: any HookSpool
    private let settings: CurrentHookSettings
    private let spooled: @Sendable ([SpooledHook]) -> Void

    /// `spooled` hears of the entries added, on the caller's thread; it must not block.
    public init(spool: any HookSpool, settings: CurrentHookSettings, spooled: @escaping @Sendable ([SpooledHook]) -> Void) {
        self.spool = spool
        self.settings = settings
        self.spooled = spooled
    }

    public func deliver(_ events: [WatchEvent]) throws {
        let current = settings.value
        let hooked = events.filter { current.command(for: $0) != nil }
        guard !hooked.isEmpty else { return }
        var added: [SpooledHook] = []
        for event in hooked {
            added.append(try spool.add(HookPayload(event)))
        }
        spooled(added)
    }
}
