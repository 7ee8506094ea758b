import DaemonTestSupport
import Model
import Simulator

/// The pools every fault test watches, and the bulk publish runs they go through.
enum Timelines {
    /// Starts idle, runs from 100 s and FAILS at `failsAt`.
    static let runner = "us-east-1:3f9a2c1e-7b4d-4e8f-9a6c-1d2e3f4a5b6c"
    /// Already IN_PROGRESS at the start; SUCCEEDS at `succeedsAt`.
    static let steady = "eu-west-1:8c7b6a59-4d3e-4f2a-b1c0-d9e8f7a6b5c4"
    static let failureMessage = "Unable to write to Kinesis stream 'exports': the stream does not exist."

    static func id(_ raw: String) throws -> IdentityPoolID {
        try IdentityPoolID(validating: raw)
    }

    /// Two pools, each with one run whose outcome comes at the given time, and `faults` for
    /// every request.
    static func scenario(
        failsAt: Double = 400,
        succeedsAt: Double = 350,
        faults: [FaultRule] = [],
        credentials: [ScenarioCredential] = [.demo]
    ) throws -> Scenario {
        Scenario(
            credentials: credentials,
            pools: [
                ScenarioPool(id: try id(runner), name: "runner", timeline: [
                    TimelineEntry(at: 0, status: .notStarted),
                    TimelineEntry(at: 100, status: .inProgress),
                    TimelineEntry(at: failsAt, status: .failed, failureMessage: failureMessage),
                ]),
                ScenarioPool(id: try id(steady), name: "steady", timeline: [
                    TimelineEntry(at: 0, status: .inProgress, startedAt: -50),
                    TimelineEntry(at: succeedsAt, status: .succeeded),
                ]),
            ],
            faults: faults
        )
    }
}
