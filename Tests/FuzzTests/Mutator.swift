import Foundation
import Model

/// Mutational fuzzing without a fuzzing engine: valid seeds, mutated a few edits at a time by a
/// seeded generator, so any failure repeats from its seed and iteration.
///
/// The budget comes from the environment: `FUZZ_ITERATIONS` (default 3,000 per target, what the
/// test suite runs) and `FUZZ_SEED` (default 1). Longer by hand:
/// `FUZZ_ITERATIONS=1000000 FUZZ_SEED=$RANDOM swift test --filter FuzzTests`.
struct Mutator {
    static var iterations: Int {
        ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3_000
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 1
    }

    /// Fragments that make structure: JSON and INI syntax, numbers at the edges, escapes,
    /// control characters, invalid UTF-8.
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "0", "-0", "1e309", "-1e309",
        "1.5", "9223372036854775808", "-9223372036854775809", "\"\"", "\\u0000", "\\ud800", "\\\"",
        "\n", "\r\n", "\t", " ", "=", "#", ";", "[default]", "[profile x]", "  nested = 1",
        "aws_access_key_id", "aws_secret_access_key", "Version", "Expiration", "__type",
        "2026-13-45T25:61:61Z", "NaN", "\u{0}", "\u{1B}[31m", "\u{2028}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF]]

    private var random: SplitMix
    private let seeds: [[UInt8]]

    init(seeds: [String], salt: UInt64) {
        self.seeds = seeds.map { Array($0.utf8) }
        random = SplitMix(state: Self.seed &* 0x9E37_79B9 &+ salt)
    }

    /// The next input: a seed with one to four edits, or now and then plain random bytes.
    mutating func next() -> [UInt8] {
        if random.next() % 50 == 0 {
            return (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
        var input = pick(seeds)
        for _ in 0...(random.next() % 4) {
            mutate(&input)
        }
        return input
    }

    private mutating func mutate(_ input: inout [UInt8]) {
        let position = input.isEmpty ? 0 : Int(random.next() % UInt64(input.count))
        switch random.next() % 8 {
        case 0 where !input.isEmpty:
            input[position] ^= 1 << UInt8(random.next() % 8)
        case 1 where !input.isEmpty:
            input[position] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            input.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        case 3:
            input.insert(contentsOf: pick(Self.tokens), at: position)
        case 4 where !input.isEmpty:
            let end = min(input.count, position + 1 + Int(random.next() % 8))
            input.removeSubrange(position..<end)
        case 5 where !input.isEmpty:
            let end = min(input.count, position + 1 + Int(random.next() % 16))
            input.insert(contentsOf: input[position..<end], at: Int(random.next() % UInt64(input.count)))
        case 6:
            input.removeSubrange(position...)
        default:
            let other = pick(seeds)
            let cut = other.isEmpty ? 0 : Int(random.next() % UInt64(other.count))
            input = Array(input[..<position]) + other[cut...]
        }
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int(random.next() % UInt64(items.count))]
    }

    /// An input as a Swift string literal would show it, for a failure message.
    static func show(_ input: [UInt8]) -> String {
        String(decoding: input, as: UTF8.self).debugDescription
    }
}

/// What every message built from bad input must be: something a person reads in a terminal or
/// the journal without surprises.
enum MessageChecks {
    /// No control characters (but newlines where a message lists several problems), not empty,
    /// not endless.
    static func isClean(_ text: String, allowNewlines: Bool = false, limit: Int = 2_000) -> Bool {
        guard !text.isEmpty, text.count <= limit else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            if scalar == "\n" { return allowNewlines }
            return !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}")
        }
    }
}
