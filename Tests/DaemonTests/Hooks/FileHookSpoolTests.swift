import DaemonTestSupport
import Daemon
import Foundation
import Model
import Testing
import ProcessSupport

/// The spool on disk: one file per waiting event, holding the hook's stdin, found again at start.
struct FileHookSpoolTests {
    @Test func anEventIsKeptAsItsJSONUnderItsIdentity() throws {
        let state = try ScratchDirectory()
        let spool = try FileHookSpool(stateDirectory: state.url)
        let payload = HookPayload(HookFixture.event())
        let hook = try spool.add(payload)
        #expect(hook.name == "us-east-1%3A00000000-0000-4000-8000-000000000001%2F1800000000000%2Ffailed.json")
        let file = state.url.appendingPathComponent("hooks/\(hook.name)")
        #expect(try Data(contentsOf: file) == payload.json())
        #expect(spool.inputPath(for: hook) == file.path)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect(attributes[.posixPermissions] as? Int == 0o600, "the event may carry a failure message: private")
    }

    @Test func theSameEventSpooledTwiceIsOneEntry() throws {
        let state = try ScratchDirectory()
        let spool = try FileHookSpool(stateDirectory: state.url)
        var again = HookFixture.event()
        let first = try spool.add(HookPayload(again))
        again.observedAt += 30
        let second = try spool.add(HookPayload(again))
        #expect(first == second, "the entry as first spooled")
        #expect(spool.pending().hooks == [first], "the first one is kept, unchanged")
    }

    @Test func pendingFindsEveryEventOldestFirstAndSetsAsideWhatCannotBeRead() throws {
        let state = try ScratchDirectory()
        let spool = try FileHookSpool(stateDirectory: state.url)
        let late = try spool.add(HookPayload(HookFixture.event(pool: 1, startedAt: 1_800_000_600)))
        let early = try spool.add(HookPayload(HookFixture.event(.stalled, pool: 2, startedAt: 1_800_000_000)))
        let hooks = spool.directory
        try Data("{\"event\":".utf8).write(to: hooks.appendingPathComponent("broken.json"))
        try Data("half".utf8).write(to: hooks.appendingPathComponent(".left-by-a-crash.json.tmp"))
        let (pending, warnings) = spool.pending()
        #expect(pending == [early, late])
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("broken.json cannot be read; moved it to ") == true, "\(warnings)")
        #expect(FileManager.default.fileExists(atPath: hooks.appendingPathComponent("broken.json.corrupt").path))
        try spool.remove(early)
        try spool.remove(early)
        #expect(spool.pending().hooks == [late])
    }

    @Test func fileNamesAreSafeAndDistinct() {
        #expect(FileHookSpool.fileName(for: "a/b") != FileHookSpool.fileName(for: "a%2Fb"))
        #expect(FileHookSpool.fileName(for: "../x") == "%2E.%2Fx.json")
        #expect(FileHookSpool.fileName(for: "é") == "%C3%A9.json")
    }
}
