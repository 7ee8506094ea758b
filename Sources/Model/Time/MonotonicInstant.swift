/// A moment on the monotonic clock (`CLOCK_MONOTONIC`): it never jumps with the wall clock, so
/// a clock change neither floods nor starves the polls.
///
/// The origin is arbitrary (the boot, for the system's clock; anything a test likes for a manual
/// one): only differences between two instants mean something.
public struct MonotonicInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// How far this instant lies after the clock's origin.
    public var sinceOrigin: Duration

    public init(sinceOrigin: Duration) {
        self.sinceOrigin = sinceOrigin
    }

    /// The clock's origin.
    public static let origin = MonotonicInstant(sinceOrigin: .zero)

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.sinceOrigin < rhs.sinceOrigin
    }

    public static func + (lhs: Self, rhs: Duration) -> Self {
        Self(sinceOrigin: lhs.sinceOrigin + rhs)
    }

    public static func - (lhs: Self, rhs: Duration) -> Self {
        Self(sinceOrigin: lhs.sinceOrigin - rhs)
    }

    public static func += (lhs: inout Self, rhs: Duration) {
        lhs.sinceOrigin += rhs
    }

    /// The time from `rhs` to `lhs` (negative when `lhs` is earlier).
    public static func - (lhs: Self, rhs: Self) -> Duration {
        lhs.sinceOrigin - rhs.sinceOrigin
    }

    /// Nanoseconds since the origin, clamped to what a `UInt64` holds: what `DispatchTime` and
    /// NIO's deadlines take. An instant before the origin is the origin; one beyond five
    /// centuries is `UInt64.max`, "never".
    public var uptimeNanoseconds: UInt64 {
        let (seconds, attoseconds) = sinceOrigin.components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(UInt64.max / 1_000_000_000) - 1 else { return .max }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// The instant `nanoseconds` after the origin.
    public init(uptimeNanoseconds nanoseconds: UInt64) {
        self.init(sinceOrigin: .nanoseconds(Int64(clamping: nanoseconds)))
    }

    public var description: String {
        "\(sinceOrigin.seconds)s"
    }
}
