import Daemon
import Foundation
import Logging
import Systemd

/// Where the daemon's events and diagnostics go, chosen once at start-up.
struct Output {
    let target: ResolvedLogTarget
    let sink: any EventSink

    init(target: LogTarget, environment: [String: String]) {
        self.target = target.resolved(environment: environment, standardError: FileIdentity.standardError())
        switch self.target {
        case .journal: sink = JournalEventSink()
        case .stderr: sink = StderrEventSink.standardError()
        }
    }

    /// Sends swift-log's diagnostics to the same place as the events. Call once per process.
    func bootstrapLogging(level: Logger.Level) {
        let target = self.target
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler
            switch target {
            case .journal: handler = JournalLogHandler(label: label)
            case .stderr: handler = StreamLogHandler.standardError(label: label)
            }
            handler.logLevel = level
            return handler
        }
    }
}
