import Foundation
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning

struct RefreshingCredentialsTests {
    private let clock = HandAdvancedClock()
    private var now: Date { clock.now }

    private func refreshing(_ provider: ScriptedCredentialProvider, initial: AWSCredentials? = nil) -> RefreshingCredentials {
        let clock = self.clock
        return RefreshingCredentials(provider: provider, initial: initial, now: { clock.now })
    }

    @Test func longLivedCredentialsAreFetchedOnce() async throws {
        let provider = ScriptedCredentialProvider(results: [.success(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s"))])
        let credentials = refreshing(provider)
        for _ in 0..<5 {
            #expect(try await credentials.credentials().accessKeyID == "AKID")
            clock.advance(by: 365 * 86_400)
        }
        #expect(await provider.calls == 1)
    }

    @Test func refreshesOnceInsideTheFifteenMinuteWindow() async throws {
        let provider = ScriptedCredentialProvider(results: [
            .success(.temporary("FIRST", expiresAt: now + 3600)),
            .success(.temporary("SECOND", expiresAt: now + 7200)),
        ])
        let credentials = refreshing(provider)
        #expect(try await credentials.credentials().accessKeyID == "FIRST")
        clock.advance(by: 3600 - 15 * 60 - 1)  // 15 min + 1 s left
        #expect(try await credentials.credentials().accessKeyID == "FIRST")
        clock.advance(by: 2)  // 15 min - 1 s left
        #expect(try await credentials.credentials().accessKeyID == "SECOND")
        #expect(try await credentials.credentials().accessKeyID == "SECOND")
        #expect(await provider.calls == 2)
    }

    /// The lock-only read that spares a poll the hop to the actor agrees with credentials():
    /// the cached keys while they are outside the advisory window, otherwise nothing.
    @Test func unexpiredCredentialsAreReadWithoutTheActor() async throws {
        let provider = ScriptedCredentialProvider(results: [
            .success(.temporary("FIRST", expiresAt: now + 3600)),
            .success(.temporary("SECOND", expiresAt: now + 7200)),
        ])
        let credentials = refreshing(provider)
        #expect(credentials.unexpiredCredentials == nil, "nothing fetched yet")
        #expect(try await credentials.credentials().accessKeyID == "FIRST")
        #expect(credentials.unexpiredCredentials?.accessKeyID == "FIRST")
        clock.advance(by: 3600 - 15 * 60 + 1)  // inside the advisory window: the actor decides
        #expect(credentials.unexpiredCredentials == nil)
        #expect(try await credentials.credentials().accessKeyID == "SECOND")
        #expect(credentials.unexpiredCredentials?.accessKeyID == "SECOND")
        await credentials.invalidate()
        #expect(credentials.unexpiredCredentials == nil, "invalidated")
        let lasting = refreshing(ScriptedCredentialProvider(results: []), initial: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s"))
        clock.advance(by: 10 * 365 * 86_400)
        #expect(lasting.unexpiredCredentials?.accessKeyID == "AKID", "keys without an expiry")
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let provider = ScriptedCredentialProvider(results: [.success(.temporary("ONLY", expiresAt: now + 3600))], hold: true)
        let credentials = refreshing(provider)
        let callers = 20
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<callers {
                group.addTask { try await credentials.credentials().accessKeyID }
            }
            // Release only once every caller is inside, waiting on the one fetch.
            #expect(await pollUntil { await credentials.callersWaitingForRefresh == callers })
            await provider.release()
            for try await id in group {
                #expect(id == "ONLY")
            }
        }
        #expect(await provider.calls == 1)
    }

    @Test func inTheAdvisoryWindowOthersDoNotWaitForTheRefresh() async throws {
        let provider = ScriptedCredentialProvider(results: [.success(.temporary("NEW", expiresAt: now + 7200))], hold: true)
        let credentials = refreshing(provider, initial: .temporary("OLD", expiresAt: now + 12 * 60))
        let refresher = Task { try await credentials.credentials().accessKeyID }
        #expect(await pollUntil { await provider.heldCalls == 1 })
        // The refresh is still held, yet this returns.
        #expect(try await credentials.credentials().accessKeyID == "OLD")
        await provider.release()
        #expect(try await refresher.value == "NEW")
        #expect(try await credentials.credentials().accessKeyID == "NEW")
        #expect(await provider.calls == 1)
    }

    @Test func inTheMandatoryWindowCallersWaitForTheRefresh() async throws {
        let provider = ScriptedCredentialProvider(results: [.success(.temporary("NEW", expiresAt: now + 7200))], hold: true)
        let credentials = refreshing(provider, initial: .temporary("OLD", expiresAt: now + 5 * 60))
        let first = Task { try await credentials.credentials().accessKeyID }
        let second = Task { try await credentials.credentials().accessKeyID }
        #expect(await pollUntil { await credentials.callersWaitingForRefresh == 2 })
        await provider.release()
        #expect(try await first.value == "NEW")
        #expect(try await second.value == "NEW")
        #expect(await provider.calls == 1)
    }

    @Test func failedRefreshKeepsCredentialsThatStillWork() async throws {
        let failure = CredentialError(.requestFailed, source: "scripted", message: "down")
        let provider = ScriptedCredentialProvider(results: [.failure(failure), .failure(failure), .failure(failure)])
        let credentials = refreshing(provider, initial: .temporary("OLD", expiresAt: now + 12 * 60))
        #expect(try await credentials.credentials().accessKeyID == "OLD")  // advisory window
        clock.advance(by: 8 * 60)
        #expect(try await credentials.credentials().accessKeyID == "OLD")  // mandatory window, 4 min left
        clock.advance(by: 4 * 60)
        await #expect(throws: failure) { try await credentials.credentials() }  // expired
        #expect(await provider.calls == 3)
    }

    @Test func firstFetchFailureIsThrown() async {
        let failure = CredentialError(.requestFailed, source: "scripted", message: "down")
        let credentials = refreshing(ScriptedCredentialProvider(results: [.failure(failure)]))
        await #expect(throws: failure) { try await credentials.credentials() }
    }

    @Test func alreadyExpiredCredentialsAreRefused() async {
        let provider = ScriptedCredentialProvider(results: [.success(.temporary("STALE", expiresAt: now - 1))])
        let error = await #expect(throws: CredentialError.self) { try await refreshing(provider).credentials() }
        #expect(error?.code == .expired)
    }

    @Test func invalidateFetchesAgain() async throws {
        let provider = ScriptedCredentialProvider(results: [
            .success(AWSCredentials(accessKeyID: "A", secretAccessKey: "s")),
            .success(AWSCredentials(accessKeyID: "B", secretAccessKey: "s")),
        ])
        let credentials = refreshing(provider)
        #expect(try await credentials.credentials().accessKeyID == "A")
        await credentials.invalidate()
        #expect(try await credentials.credentials().accessKeyID == "B")
    }

    @Test func startsFromAResolvedChain() async throws {
        let provider = ScriptedCredentialProvider("named source", results: [])
        let resolved = ResolvedCredentials(credentials: AWSCredentials(accessKeyID: "A", secretAccessKey: "s"), provider: provider)
        let credentials = RefreshingCredentials(resolved)
        #expect(credentials.sourceName == "named source")
        #expect(try await credentials.credentials().accessKeyID == "A")
        #expect(await provider.calls == 0)
    }
}
