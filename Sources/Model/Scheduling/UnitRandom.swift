extension RandomNumberGenerator {
    /// A uniform value in [0, 1) from one draw.
    ///
    /// Unlike `Double.random(in:using:)` this never loops to reject a draw, so a scripted
    /// generator in tests cannot make it spin, and every draw maps to exactly one value.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
