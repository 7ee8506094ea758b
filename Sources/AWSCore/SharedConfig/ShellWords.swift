/// Splits a command line into words with the rules of Python's `shlex.split` (POSIX mode), which
/// botocore uses for `credential_process` and for `[profile name]` section headers.
///
/// No shell is involved: quotes and backslashes group and escape, and nothing else (`$`, `|`,
/// `#`, globs) is special.
package enum ShellWords {
    /// Why a command line could not be split.
    package enum SplitError: Error, Equatable {
        case unclosedQuote
        case trailingBackslash
    }

    package static func split(_ line: String) throws(SplitError) -> [String] {
        enum State {
            case between
            case word
            case singleQuoted
            case doubleQuoted
        }
        var words: [String] = []
        var word = ""
        var state = State.between
        var scalars = line.unicodeScalars.makeIterator()

        while let scalar = scalars.next() {
            switch state {
            case .between, .word:
                switch scalar {
                case " ", "\t", "\r", "\n":
                    if state == .word {
                        words.append(word)
                        word = ""
                        state = .between
                    }
                case "'":
                    state = .singleQuoted
                case "\"":
                    state = .doubleQuoted
                case "\\":
                    guard let escaped = scalars.next() else { throw .trailingBackslash }
                    word.unicodeScalars.append(escaped)
                    state = .word
                default:
                    word.unicodeScalars.append(scalar)
                    state = .word
                }
            case .singleQuoted:
                if scalar == "'" {
                    // A closed quote leaves us inside a word, so `''` still yields an empty word.
                    state = .word
                } else {
                    word.unicodeScalars.append(scalar)
                }
            case .doubleQuoted:
                switch scalar {
                case "\"":
                    state = .word
                case "\\":
                    guard let escaped = scalars.next() else { throw .trailingBackslash }
                    // Inside double quotes shlex only un-escapes the quote and the backslash.
                    if escaped != "\"" && escaped != "\\" {
                        word.unicodeScalars.append("\\")
                    }
                    word.unicodeScalars.append(escaped)
                default:
                    word.unicodeScalars.append(scalar)
                }
            }
        }
        switch state {
        case .singleQuoted, .doubleQuoted:
            throw .unclosedQuote
        case .word:
            words.append(word)
        case .between:
            break
        }
        return words
    }
}
