/// The configuration's `hooks` section:
///
///     "hooks": {
///       "failed": ["/usr/local/bin/page-oncall", "--team", "data"],
///       "stalled": ["/usr/lib/cognito-sync-watcher/hooks/post-webhook"],
///       "timeoutSeconds": 30, "attempts": 6, "retryDelaySeconds": 10, "maxRetryDelaySeconds": 300
///     }
extension JSONDocumentReader {
    /// The keys of the section: one per hookable event, then the settings.
    static let hookKeys = HookSettings.hookableKinds.map(\.rawValue)
        + ["timeoutSeconds", "attempts", "retryDelaySeconds", "maxRetryDelaySeconds"]

    mutating func hookSettings(_ value: JSONValue?, path: String) -> HookSettings {
        var settings = HookSettings()
        guard let value else { return settings }
        if case .null = value { return settings }
        guard let object = object(value, path: path) else { return settings }
        for key in object.keys.sorted() where !Self.hookKeys.contains(key) {
            if let suggestion = closest(to: key, in: Self.hookKeys) {
                report("\(path).\(key)", "unknown key", hint: "did you mean '\(suggestion)'?")
            } else {
                report("\(path).\(key)", "unknown key",
                       hint: "hooks can be set for started, succeeded, failed and stalled; the other settings are "
                        + "timeoutSeconds, attempts, retryDelaySeconds and maxRetryDelaySeconds")
            }
        }
        for kind in HookSettings.hookableKinds {
            if let command = hookCommand(object[kind.rawValue], path: "\(path).\(kind.rawValue)") {
                settings.commands[kind] = command
            }
        }
        // A value out of range is reported and leaves the default in place.
        settings.timeout = seconds(object["timeoutSeconds"], path: "\(path).timeoutSeconds", in: 1...3600) ?? settings.timeout
        settings.attempts = integer(object["attempts"], path: "\(path).attempts", in: 1...100) ?? settings.attempts
        settings.retryDelay = seconds(object["retryDelaySeconds"], path: "\(path).retryDelaySeconds", in: 1...3600) ?? settings.retryDelay
        settings.maxRetryDelay = seconds(object["maxRetryDelaySeconds"], path: "\(path).maxRetryDelaySeconds", in: 1...86_400)
            ?? settings.maxRetryDelay
        if settings.maxRetryDelay < settings.retryDelay {
            report("\(path).maxRetryDelaySeconds",
                   "the longest wait between tries (\(Self.format(settings.maxRetryDelay.seconds)) s) is shorter than the first "
                    + "(\(Self.format(settings.retryDelay.seconds)) s)",
                   hint: "make maxRetryDelaySeconds at least retryDelaySeconds")
        }
        return settings
    }

    /// A command as an array of strings: the program's absolute path, then its arguments.
    private mutating func hookCommand(_ value: JSONValue?, path: String) -> HookCommand? {
        let example = "[\"/usr/local/bin/page-oncall\", \"--team\", \"data\"]"
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            report(path, "must be an array of strings, not the string \"\(text)\": no shell splits it into words",
                   hint: "write the program and each argument as its own string, e.g. \(example)")
            return nil
        case .array(let entries)?:
            guard !entries.isEmpty else {
                report(path, "is empty", hint: "name the program to run, e.g. \(example), or remove the key")
                return nil
            }
            var words: [String] = []
            for (index, entry) in entries.enumerated() {
                guard let word = string(entry, path: "\(path)[\(index)]") else { continue }
                if word.contains("\u{0}") {
                    report("\(path)[\(index)]", "contains a NUL character, which no program argument can hold")
                    continue
                }
                words.append(word)
            }
            guard words.count == entries.count else { return nil }
            guard words[0].hasPrefix("/") else {
                report("\(path)[0]", "'\(words[0])' is not an absolute path",
                       hint: "the program runs without a shell and with the service's PATH, so give its full path, "
                        + "e.g. \"/usr/local/bin/\(words[0].split(separator: "/").last.map(String.init) ?? "page-oncall")\"")
                return nil
            }
            return HookCommand(executable: words[0], arguments: Array(words.dropFirst()))
        case let other?:
            wrongType(other, expected: "an array of strings (the program and its arguments, e.g. \(example))", path: path)
            return nil
        }
    }
}
