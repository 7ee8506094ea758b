/// Finds the word a typo was meant to be, for "did you mean" hints.
enum NearestWord {
    /// The candidate nearest to `word`, if it is near enough to be a typo; with
    /// `matchingAbbreviations`, first the candidate `word` begins (`delay` for `delaySeconds`).
    static func closest(to word: String, in candidates: [String], matchingAbbreviations: Bool) -> String? {
        if matchingAbbreviations, word.count >= 3,
           let longer = candidates.first(where: { $0.lowercased().hasPrefix(word.lowercased()) }) {
            return longer
        }
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 4) else { return nil }
        return best.0
    }

    /// Levenshtein distance: the fewest one-character insertions, deletions and substitutions
    /// that turn `a` into `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
