import AWSCore
public import Foundation
public import Logging
public import AWSSigning
import Synchronization

/// Caches a provider's credentials and refreshes temporary ones before they expire, with
/// botocore's windows (`RefreshableCredentials`).
///
/// - More than 15 minutes left (advisory window): the cached credentials are returned.
/// - 15 to 10 minutes left: one caller refreshes; callers arriving while that refresh runs get
///   the cached credentials without waiting.
/// - Under 10 minutes left (mandatory window) or none cached: callers wait for the one refresh in
///   flight; many callers at once still cause a single fetch.
/// - A failed refresh keeps the old credentials for as long as they have not expired (botocore
///   does so only in the advisory window and fails in the mandatory one; for a daemon a request
///   that may still succeed beats one that surely fails). A refresh that yields credentials
///   that are already expired counts as failed.
///
/// Credentials without an expiry are kept until ``invalidate()``.
///
/// Waiting is cancellable: a caller whose task is cancelled (a poll given up because the daemon
/// stops) returns at once with `CancellationError` while the refresh goes on for the others; once
/// no caller waits for it, the refresh itself is cancelled, so a `credential_process` that hangs
/// is killed rather than left to its timeout. ``shutdown()`` ends whatever is still running.
public actor RefreshingCredentials: CredentialProvider {
    /// botocore's `_DEFAULT_ADVISORY_REFRESH_TIMEOUT`.
    public static let advisoryRefreshWindow: TimeInterval = 15 * 60
    /// botocore's `_DEFAULT_MANDATORY_REFRESH_TIMEOUT`.
    public static let mandatoryRefreshWindow: TimeInterval = 10 * 60

    public nonisolated let sourceName: String
    private let provider: any CredentialProvider
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var cached: AWSCredentials? {
        didSet { snapshot.withLock { $0 = cached } }
    }
    /// `cached`, readable without a hop to the actor (see ``unexpiredCredentials``).
    private nonisolated let snapshot = Mutex<AWSCredentials?>(nil)
    private var refresh: (id: UInt64, fetch: SharedFetch<AWSCredentials>)?
    private var nextRefreshID: UInt64 = 0
    /// Every fetch started whose operation may still be running (one given up is still killing
    /// its helper), for ``shutdown()`` to wait for.
    private var fetches: [SharedFetch<AWSCredentials>] = []
    /// Set by ``shutdown()``: no refresh starts any more.
    private var isShutDown = false
    /// Callers suspended on the refresh in flight; lets tests see that they all joined one fetch.
    private(set) var callersWaitingForRefresh = 0

    /// Wraps `provider`, optionally starting from credentials it already gave.
    ///
    /// - Parameters:
    ///   - now: the clock; tests pass a fixed or hand-advanced one.
    ///   - logger: receives a warning when a refresh fails but the old credentials are kept.
    public init(
        provider: any CredentialProvider, initial: AWSCredentials? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "aws.credentials")
    ) {
        self.provider = provider
        self.sourceName = provider.sourceName
        self.cached = initial
        snapshot.withLock { $0 = initial }
        self.now = now
        self.logger = logger
    }

    /// Wraps the provider that a chain resolved, starting from what it returned.
    public init(
        _ resolved: ResolvedCredentials, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "aws.credentials")
    ) {
        self.init(provider: resolved.provider, initial: resolved.credentials, now: now, logger: logger)
    }

    /// The cached credentials when ``credentials()`` would return them as they are (no expiry,
    /// or more than the advisory window left), without a hop to the actor: the common case of
    /// every call, read under a lock. `nil` means: call ``credentials()``.
    public nonisolated var unexpiredCredentials: AWSCredentials? {
        guard let cached = snapshot.withLock({ $0 }) else { return nil }
        guard let expiration = cached.expiration else { return cached }
        return expiration.timeIntervalSince(now()) >= Self.advisoryRefreshWindow ? cached : nil
    }

    public func credentials() async throws -> AWSCredentials {
        guard let cached else {
            return try await sharedRefresh()
        }
        guard let expiration = cached.expiration else { return cached }
        let remaining = expiration.timeIntervalSince(now())
        if remaining >= Self.advisoryRefreshWindow {
            return cached
        }
        if remaining >= Self.mandatoryRefreshWindow && refresh != nil {
            return cached
        }
        do {
            return try await sharedRefresh()
        } catch is CancellationError {
            // The caller gave up: old credentials would only go to a request nobody waits for.
            throw CancellationError()
        } catch {
            // Re-read: another caller may have stored newer credentials while this one waited.
            let fallback = self.cached ?? cached
            if let expiry = fallback.expiration, expiry > now() {
                logger.warning(
                    "Refreshing AWS credentials failed; using the current ones until they expire",
                    metadata: [
                        "source": "\(sourceName)",
                        "expires": "\(expiry.formatted(.iso8601))",
                        "error": "\(error)",
                    ])
                return fallback
            }
            throw error
        }
    }

    /// Forgets the cached credentials so the next call fetches new ones (e.g. after AWS answered
    /// `ExpiredTokenException`, or on SIGHUP after the key file was replaced).
    public func invalidate() {
        cached = nil
    }

    /// Cancels the refresh in flight, if any (its waiters get `CancellationError`, its helper
    /// process is killed), and waits until every fetch started has ended; no refresh starts
    /// afterwards. For a daemon that is stopping.
    public func shutdown() async {
        isShutDown = true
        refresh = nil
        let started = fetches
        fetches.removeAll()
        for fetch in started {
            await fetch.cancel()
        }
    }

    /// Joins the refresh in flight or starts one, so concurrent callers cause one fetch.
    private func sharedRefresh() async throws -> AWSCredentials {
        let id: UInt64
        let fetch: SharedFetch<AWSCredentials>
        if let refresh, !refresh.fetch.isSettled {
            (id, fetch) = refresh
        } else {
            // A caller that has already given up, or a daemon that is stopping, starts nothing.
            try Task.checkCancellation()
            guard !isShutDown else { throw CancellationError() }
            nextRefreshID += 1
            id = nextRefreshID
            let provider = self.provider
            fetch = SharedFetch { try await provider.credentials() }
            refresh = (id, fetch)
            fetches.removeAll(where: \.hasEnded)
            fetches.append(fetch)
        }
        let ticket = fetch.join()
        callersWaitingForRefresh += 1
        let result: Result<AWSCredentials, any Error>
        do {
            result = .success(try await fetch.value(for: ticket))
        } catch {
            result = .failure(error)
        }
        callersWaitingForRefresh -= 1
        if refresh?.id == id, fetch.isSettled {
            refresh = nil
        }
        let fresh = try result.get()
        if let expiration = fresh.expiration, expiration <= now() {
            throw CredentialError(
                .expired, source: sourceName,
                message: "the source returned credentials that expired at \(expiration.formatted(.iso8601))")
        }
        cached = fresh
        return fresh
    }
}
