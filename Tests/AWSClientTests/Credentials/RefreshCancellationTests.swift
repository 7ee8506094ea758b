#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import ProcessSupport
import Testing
@testable import AWSCredentialProviders
import AWSSigning

/// A refresh whose `credential_process` hangs, as several polls wait on it: each waiter can
/// leave at once, and the helper (with the child it started) is killed once nobody waits or the
/// daemon stops. The helper says it started through a named pipe, so nothing here waits by time;
/// each wait has a generous bound that turns one that never returns (the behaviour broken) into
/// a failure.
struct RefreshCancellationTests {
    private let directory: ScratchDirectory

    init() throws {
        directory = try ScratchDirectory()
    }

    /// A `credential_process` that starts a child and waits for it for ever.
    private func hangingHelper() throws -> (RefreshingCredentials, StartSignal) {
        let started = try StartSignal(path: directory.file("started"))
        let script = directory.file("helper")
        try ExecutableScript.write(started.hangingHelperScript, to: script)
        let provider = ProcessCredentialProvider(
            command: script, environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(3600), ownProcessGroup: true)
        return (RefreshingCredentials(provider: provider), started)
    }

    /// Waits until the helper has started and says which processes it is.
    private func pids(_ started: StartSignal) async throws -> [pid_t] {
        try #require(await started.helperPIDs(timeout: .seconds(60)), "the helper did not start")
    }

    @Test func aCancelledWaiterLeavesAtOnceAndTheLastOneEndsTheHelper() async throws {
        let (credentials, started) = try hangingHelper()
        let first = Task { try await credentials.credentials() }
        let second = Task { try await credentials.credentials() }
        let pids = try await pids(started)
        #expect(await pollUntil { await credentials.callersWaitingForRefresh == 2 })

        first.cancel()
        let firstOutcome = try #require(await outcome(of: first, within: .seconds(60)), "the cancelled caller still waits")
        #expect(throws: CancellationError.self) { try firstOutcome.get() }
        // The refresh goes on for the other waiter: the helper has not been touched.
        #expect(pids.allSatisfy { kill($0, 0) == 0 }, "the helper was stopped while a caller still waited for it")

        second.cancel()
        let secondOutcome = try #require(await outcome(of: second, within: .seconds(60)), "the cancelled caller still waits")
        #expect(throws: CancellationError.self) { try secondOutcome.get() }
        // Nobody waits any more: the helper and its child are killed.
        #expect(await started.waitForAllWritersToExit(timeout: .seconds(60)), "the helper or its child still runs")
        for pid in pids {
            #expect(await ProcessEnd.wait(for: pid, timeout: .seconds(60)))
            #expect(ProcessEnd.hasEnded(pid), "process \(pid) still running")
        }
        #expect(await credentials.callersWaitingForRefresh == 0)
    }

    @Test func shutdownEndsTheRefreshUnderWayAndWaitsForTheHelper() async throws {
        let (credentials, started) = try hangingHelper()
        let waiter = Task { try await credentials.credentials() }
        let pids = try await pids(started)

        try #require(await ends(within: .seconds(60)) { await credentials.shutdown() }, "shutdown did not return")
        // Returned only once the helper had been killed and reaped; its child, killed with it,
        // is reaped by whichever process adopted it.
        #expect(ProcessEnd.hasEnded(pids[0]), "the helper \(pids[0]) still runs")
        #expect(await ProcessEnd.wait(for: pids[1], timeout: .seconds(60)), "the helper's child \(pids[1]) still runs")
        let waited = try #require(await outcome(of: waiter, within: .seconds(60)), "the caller still waits")
        #expect(throws: CancellationError.self) { try waited.get() }
        // A stopped source starts no helper again.
        await #expect(throws: CancellationError.self) { try await credentials.credentials() }
    }
}
