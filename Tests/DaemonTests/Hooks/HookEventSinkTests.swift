import DaemonTestSupport
import Daemon
import Foundation
import Model
import Synchronization
import Testing
import ProcessSupport

/// The sink spools the events that have a hook and tells the runner; it never runs one.
struct HookEventSinkTests {
    @Test func onlyEventsWithAHookAreSpooledAndHandedOn() throws {
        let state = try ScratchDirectory()
        let spool = try FileHookSpool(stateDirectory: state.url)
        let handed = Mutex<[SpooledHook]>([])
        let settings = CurrentHookSettings(HookSettings(commands: [.failed: HookFixture.failedCommand]))
        let sink = HookEventSink(spool: spool, settings: settings) { added in handed.withLock { $0 += added } }
        try sink.deliver([HookFixture.event(.started), HookFixture.event(.failed), HookFixture.event(.pollFailing, pool: 2)])
        #expect(handed.withLock { $0.map(\.payload.event) } == ["failed"])
        #expect(spool.pending().hooks.map(\.payload.event) == ["failed"])

        // A reload that adds a hook for started events applies to the next delivery.
        settings.replace(with: HookSettings(commands: [.started: HookFixture.failedCommand]))
        try sink.deliver([HookFixture.event(.started, pool: 3)])
        #expect(spool.pending().hooks.count == 2)
    }

    @Test func aSpoolThatCannotKeepTheEventMakesTheDeliveryFail() {
        let settings = CurrentHookSettings(HookSettings(commands: [.failed: HookFixture.failedCommand]))
        let sink = HookEventSink(spool: RefusingSpool(), settings: settings) { _ in Issue.record("nothing was spooled") }
        #expect(throws: RefusingSpool.DiskFull.self) { try sink.deliver([HookFixture.event()]) }
        // Events without a hook never touch the spool.
        #expect(throws: Never.self) { try sink.deliver([HookFixture.event(.succeeded)]) }
    }

    @Test func theCompositeStopsAtTheFirstSinkThatRefuses() throws {
        let first = RecordingSink()
        let second = RecordingSink()
        let composite = CompositeEventSink([first, second])
        try composite.deliver([HookFixture.event()])
        #expect(first.events.count == 1 && second.events.count == 1)
        first.refuse(true)
        #expect(throws: RecordingSink.Refused.self) { try composite.deliver([HookFixture.event()]) }
        #expect(second.events.count == 1)
    }
}
