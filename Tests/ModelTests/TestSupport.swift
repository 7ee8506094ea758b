import Foundation
@testable public import Model

/// A random source that always yields the same value, so jitter can be pinned to its extremes.
struct ConstantGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

/// A small deterministic generator (SplitMix64) for tests that want varied but repeatable values.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Fixture {
    static let poolID = try! IdentityPoolID(validating: "us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a")
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    static func pool(stallAfter: Duration = .seconds(7200), reportErrorsAfter: Int = 3) -> WatchedPool {
        var settings = PoolSettings.standard
        settings.stallAfter = stallAfter
        settings.reportErrorsAfter = reportErrorsAfter
        return WatchedPool(id: poolID, name: "game-prod", settings: settings)
    }

    /// What the parser says is wrong with `json`, one line per problem; none when it is valid.
    static func configurationProblems(_ json: String) -> [String] {
        do {
            _ = try ConfigurationParser.parse(Data(json.utf8))
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// A time `seconds` after the fixed epoch.
    static func at(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }
}

/// Seconds since the clock's origin, written as a number: `limiter.acquire(at: 0.5)`.
extension MonotonicInstant: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(floatLiteral value: Double) { self.init(sinceOrigin: .seconds(value)) }
    public init(integerLiteral value: Int64) { self.init(sinceOrigin: .seconds(value)) }
}

/// Seconds, written as a number: `RegionThrottle(basePause: 1)`.
extension Duration: @retroactive ExpressibleByFloatLiteral, @retroactive ExpressibleByIntegerLiteral {
    public init(floatLiteral value: Double) { self = .seconds(value) }
    public init(integerLiteral value: Int64) { self = .seconds(value) }
}

extension Duration {
    /// Whether the two differ by at most `tolerance`: what a computation through `Double` gives.
    func isClose(to other: Duration, within tolerance: Duration = .milliseconds(1)) -> Bool {
        self - other <= tolerance && other - self <= tolerance
    }
}
