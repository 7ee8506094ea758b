/// Python's `os.path.expandvars` then `os.path.expanduser`, against a given environment.
enum PathExpansion {
    static func expand(_ path: String, environment: [String: String]) -> String {
        expandUser(expandVariables(path, environment: environment), environment: environment)
    }

    /// `$NAME` and `${NAME}` (NAME of ASCII letters, digits, `_`) are replaced when set and left
    /// alone when not.
    static func expandVariables(_ path: String, environment: [String: String]) -> String {
        guard path.contains("$") else { return path }
        let scalars = Array(path.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                result.append(scalar)
                index += 1
                continue
            }
            var end = index + 1
            var name: String?
            if scalars[end] == "{" {
                if let close = scalars[(end + 1)...].firstIndex(of: "}") {
                    name = String(String.UnicodeScalarView(scalars[(end + 1)..<close]))
                    end = close + 1
                }
            } else {
                while end < scalars.count && isNameScalar(scalars[end]) {
                    end += 1
                }
                if end > index + 1 {
                    name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                }
            }
            if let name, let value = environment[name] {
                result.append(contentsOf: value.unicodeScalars)
                index = end
            } else if name != nil {
                result.append(contentsOf: scalars[index..<end])
                index = end
            } else {
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }

    /// A leading `~` or `~/` becomes `HOME`; `~user` and a missing or empty `HOME` leave the path
    /// as it is.
    static func expandUser(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return path }
        var trimmedHome = Substring(home)
        while trimmedHome.hasSuffix("/") {
            trimmedHome = trimmedHome.dropLast()
        }
        let result = trimmedHome + path.dropFirst()
        return result.isEmpty ? "/" : String(result)
    }
}
