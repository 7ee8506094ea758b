import Foundation
import Model

/// Events of every kind, with every field that kind carries, as the state machine builds them.
enum SampleEvents {
    static let poolIDText = "us-east-1:0b7a4c2e-8d1f-4e3a-b6c9-2a5d7e9f1c3b"
    static let start = Date(timeIntervalSince1970: 1_795_000_000.25)
    static let end = Date(timeIntervalSince1970: 1_795_003_600.75)
    static let observed = Date(timeIntervalSince1970: 1_795_003_630)

    /// A failure message trying to end the entry early and forge a second, more urgent one.
    static let forgingFailureMessage =
        "Stream write failed\nPRIORITY=0\nMESSAGE_ID=00000000000000000000000000000001\n\u{1B}[31mred\u{0}"

    /// One event of every kind; `token` makes the identities unique to one test run.
    static func all(token: String) throws -> [WatchEvent] {
        try WatchEvent.Kind.allCases.map { try event($0, token: token) }
    }

    static func event(_ kind: WatchEvent.Kind, token: String = "t") throws -> WatchEvent {
        let poolID = try IdentityPoolID(validating: poolIDText)
        var event = WatchEvent(
            kind: kind, poolID: poolID, poolName: "orders", previousStatus: .inProgress, status: .inProgress,
            startTime: start, observedAt: observed, identity: "\(poolID)/\(token)/\(kind.rawValue)"
        )
        switch kind {
        case .started:
            event.previousStatus = .notStarted
        case .succeeded:
            event.status = .succeeded
            event.completeTime = end
            event.duration = .seconds(end.timeIntervalSince(start))
        case .failed:
            event.status = .failed
            event.completeTime = end
            event.duration = .seconds(end.timeIntervalSince(start))
            event.failureMessage = forgingFailureMessage
        case .stalled:
            event.duration = .seconds(21_600)
        case .anomaly:
            event.status = .succeeded
            event.previousStatus = .succeeded
            event.completeTime = end
            event.anomaly = .completedBeforeStart
            event.detail = "the completion time is before the start time"
        case .unrecognizedStatus:
            event.status = .unrecognized("PAUSED")
            event.detail = "the service reported status 'PAUSED', which this version does not know"
        case .pollFailing:
            event.status = nil
            event.errorCode = "NotAuthorizedException"
            event.detail = "Unauthenticated access is not supported."
            event.duration = .zero
        case .pollRecovered:
            event.status = nil
            event.errorCode = "ThrottlingException"
            event.detail = "after 4 failed polls"
            event.duration = .seconds(95.5)
        }
        return event
    }
}
