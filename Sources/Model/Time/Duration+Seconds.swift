extension Duration {
    /// The duration in seconds, for what speaks in seconds: Prometheus, `Date` arithmetic,
    /// messages a person reads. Everything else stays a `Duration`.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        // Divided, not multiplied by 1e-18 (not exact in binary): 300 ms is then exactly 0.3.
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `value` seconds, from input that may be anything (a configuration value, a header's
    /// number): not-a-number is zero, and values beyond ±``longest`` are cut to it, where
    /// `Duration.seconds(_:)` would trap.
    public static func seconds(clamping value: Double) -> Duration {
        guard !value.isNaN else { return .zero }
        let bound = longest.seconds
        return .seconds(min(max(value, -bound), bound))
    }

    /// About 292 years: the longest duration every clock here (nanoseconds in 64 bits) holds.
    public static let longest = Duration.seconds(Int64.max / 1_000_000_000 - 1)

    /// "2 s", "0.5 s": for messages.
    public var formattedSeconds: String {
        let value = seconds
        return value == value.rounded() && abs(value) < 1e15 ? "\(Int(value)) s" : "\(value) s"
    }
}

extension Duration {
    /// Whole microseconds, as systemd's `*_USEC=` fields take them; a negative duration is 0.
    public var microseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
    }
}
