import Foundation
import Model

/// A length of time on the command line: seconds (`90`, `1.5`) or with a unit (`90s`, `15m`,
/// `2h`, `1d`).
struct DurationArgument: Equatable {
    var duration: Duration

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        let unit = units.first { text.hasSuffix($0.suffix) && Double(text.dropLast($0.suffix.count)) != nil }
        let number = unit.map { String(text.dropLast($0.suffix.count)) } ?? text
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        // Clamped: `--timeout 1e300` is "for ever", not a crash.
        duration = .seconds(clamping: value * (unit?.seconds ?? 1))
    }

    /// The duration in seconds, for what counts in seconds.
    var seconds: TimeInterval { duration.seconds }
}
