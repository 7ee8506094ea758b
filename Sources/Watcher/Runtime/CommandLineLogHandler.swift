import Foundation
import Logging
import Model

/// Diagnostics of a one-shot command (`status`, `wait`) on stderr, as a person reads them:
/// `warning: this machine's clock is 7m behind AWS's …`, one line each, without timestamps or
/// labels. Only warnings and worse by default: the command's own output is the point.
struct CommandLineLogHandler: LogHandler {
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level >= .error ? "error" : event.level.rawValue
        FileHandle.standardError.write(Data("\(level): \(OneLineText.sanitize("\(event.message)"))\n".utf8))
    }
}
