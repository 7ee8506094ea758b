/// SplitMix64: a small, fast generator for the scheduling draws (jitter, spreading).
///
/// The draws need no cryptographic quality, and the system generator costs a system call per
/// draw; the daemon seeds this one once from the system generator. Tests and benchmarks seed it
/// with a constant so the draws repeat from run to run.
public struct SplitMix: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    /// Seeded from the system's generator.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(state: system.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
