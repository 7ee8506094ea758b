/// How one pool is polled and judged; the config's `defaults`, overridden per pool.
public struct PoolSettings: Sendable, Equatable {
    /// The time between polls while a run is IN_PROGRESS (or the status is unknown).
    public var inProgressInterval: Duration
    /// The time between polls while no bulk publish was ever requested (NOT_STARTED).
    public var idleInterval: Duration
    /// The time between polls after a run SUCCEEDED or FAILED.
    public var finishedInterval: Duration
    /// A run IN_PROGRESS for longer than this is reported as stalled.
    public var stallAfter: Duration
    /// Consecutive transient errors (5xx, timeouts, throttling) before they are reported.
    public var reportErrorsAfter: Int
    /// The fraction by which a poll may come early, so pools do not poll in lockstep.
    public var jitter: Double
    /// The first delay after an error; it doubles with every further error.
    public var errorBackoffBase: Duration
    /// The longest delay between polls while errors go on.
    public var errorBackoffMax: Duration

    public init(
        inProgressInterval: Duration = .seconds(30),
        idleInterval: Duration = .seconds(600),
        finishedInterval: Duration = .seconds(300),
        stallAfter: Duration = .seconds(6 * 3600),
        reportErrorsAfter: Int = 3,
        jitter: Double = 0.1,
        errorBackoffBase: Duration = .seconds(5),
        errorBackoffMax: Duration = .seconds(300)
    ) {
        self.inProgressInterval = inProgressInterval
        self.idleInterval = idleInterval
        self.finishedInterval = finishedInterval
        self.stallAfter = stallAfter
        self.reportErrorsAfter = reportErrorsAfter
        self.jitter = jitter
        self.errorBackoffBase = errorBackoffBase
        self.errorBackoffMax = errorBackoffMax
    }

    /// The built-in defaults: the ones `config.example.json` spells out.
    public static let standard = PoolSettings()
}

/// One pool the watcher polls, with its settings resolved.
public struct WatchedPool: Sendable, Equatable, Identifiable {
    public var id: IdentityPoolID
    /// A name people use for the pool; shown beside the id.
    public var name: String?
    /// The region to call: the id's prefix unless the config overrides it.
    public var region: String
    public var settings: PoolSettings
    /// Whose credentials the pool is polled with, when not the configuration's own.
    public var identity: PoolIdentity?

    public init(
        id: IdentityPoolID, name: String? = nil, region: String? = nil, settings: PoolSettings = .standard, identity: PoolIdentity? = nil
    ) {
        self.id = id
        self.name = name
        self.region = region ?? id.region
        self.settings = settings
        self.identity = identity
    }

    /// How the pool is named in messages: `'name' (id)`, or the id alone.
    public var label: String {
        if let name { return "'\(name)' (\(id))" }
        return id.rawValue
    }
}

/// A pool's own identity: a profile of the shared files, a role to assume, or both (the role
/// assumed with the profile's credentials, or with the configuration's when no profile is named).
/// Pools of one company often live in several accounts; one daemon watches them all.
public struct PoolIdentity: Sendable, Hashable, CustomStringConvertible {
    /// A profile of the shared config and credentials files.
    public var profile: String?
    /// `arn:aws:iam::123456789012:role/name`, assumed with STS.
    public var roleARN: String?

    public init(profile: String? = nil, roleARN: String? = nil) {
        self.profile = profile
        self.roleARN = roleARN
    }

    /// `profile audit`, `role arn:…`, `role arn:… with profile audit`.
    public var description: String {
        switch (profile, roleARN) {
        case (let profile?, let role?): "role \(role) with profile \(profile)"
        case (let profile?, nil): "profile \(profile)"
        case (nil, let role?): "role \(role)"
        case (nil, nil): "the configured identity"
        }
    }
}
