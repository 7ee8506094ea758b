import DaemonTestSupport
import Model
import ProcessSupport
import Simulator
import Testing

/// Each fault the simulator can inject, hitting every request for a while in the middle of two
/// bulk publish runs: the loop keeps polling, backs off, says once that polling fails and once
/// that it works again, and reports every run's outcome exactly once.
struct InjectedFaultTests {
    /// When the fault starts hitting, in seconds after the start: both runs are IN_PROGRESS by
    /// then, and both end while it lasts (at 350 s and 400 s).
    static let faultFrom = 200.0

    @Test(arguments: InjectedFault.all)
    func theLoopRidesOutTheFaultAndLosesNoTransition(_ fault: InjectedFault) async throws {
        var rule = fault.rule
        rule.from = Self.faultFrom
        rule.until = fault.until
        let runner = try Timelines.id(Timelines.runner)
        let steady = try Timelines.id(Timelines.steady)
        // A fault that holds answers past the client's timeout has a premise a loaded machine
        // can lose: each attempt opens a new connection within its own short deadline, and a
        // handshake that outlasts it is rightly a connection error instead. Only a run in which
        // every failing poll timed out (as the client saw it) is judged; another is made with
        // more room.
        let judged = try await withGrowingBudget(from: fault.requestTimeout, tries: fault.holdsAnswers ? 4 : 1) { timeout in
            var premiseHeld = true
            try await FaultRig.run(try Timelines.scenario(faults: [rule]), requestTimeout: timeout) { rig in
                await rig.advance(to: 2000)
                if fault.holdsAnswers {
                    premiseHeld = [runner, steady].allSatisfy { pool in
                        rig.fetcher.polls(of: pool).allSatisfy { $0.failure.map { $0.code == fault.code } ?? true }
                    }
                    guard premiseHeld else { return }
                }
                Self.judge(fault, rig: rig, runner: runner, steady: steady)
            }
            return premiseHeld
        }
        #expect(judged, "no run saw the fault as a timeout: every handshake outlasted the client's timeout")
    }

    /// What a run through `fault` must show.
    static func judge(_ fault: InjectedFault, rig: FaultRig, runner: IdentityPoolID, steady: IdentityPoolID) {
        // Every transition once, in order, with the trouble between them said once.
        switch fault.expectation {
        case .reported:
            #expect(rig.sink.kinds(of: runner) == [.started, .pollFailing, .pollRecovered, .failed])
            #expect(rig.sink.kinds(of: steady) == [.started, .pollFailing, .pollRecovered, .succeeded])
        case .notAnError:
            #expect(rig.sink.kinds(of: runner) == [.started, .unrecognizedStatus, .failed])
            #expect(rig.sink.kinds(of: steady) == [.started, .unrecognizedStatus, .succeeded])
        }
        #expect(rig.sink.repeatedIdentities.isEmpty)
        let failed = rig.sink.events.first { $0.kind == .failed }
        #expect(failed?.failureMessage == Timelines.failureMessage)
        if let code = fault.code {
            let failing = rig.sink.events.filter { $0.kind == .pollFailing }
            #expect(failing.map(\.errorCode) == [code, code])
        }

        // Backing off: fewer polls than the IN_PROGRESS cadence would make, never faster
        // than the minimum or the service's hint, and the waits grow.
        let during = rig.fetcher.gaps(of: runner, within: Self.faultFrom..<fault.until)
        #expect(during.count >= 2)
        #expect(during.allSatisfy { $0 >= fault.minimumGap - 0.001 })
        switch fault.backoff {
        case .exponential:
            #expect(during.count < Int((fault.until - Self.faultFrom) / FaultRig.settings.inProgressInterval.seconds))
            let half = during.count / 2
            #expect(Self.mean(during.suffix(during.count - half)) > Self.mean(during.prefix(half)))
        case .idleCadence:
            let idle = FaultRig.settings.idleInterval.seconds
            #expect(during.allSatisfy { $0 >= idle * (1 - FaultRig.settings.jitter) - 0.001 && $0 <= idle + 0.001 })
        case .none:
            #expect(during.allSatisfy { $0 <= FaultRig.settings.inProgressInterval.seconds + 0.001 })
        case .longest:
            let longest = FaultRig.settings.errorBackoffMax.seconds
            #expect(during.allSatisfy { abs($0 - longest) < 0.001 }, "\(during)")
        }

        // Still running afterwards, at the cadence for a finished run.
        let times = rig.fetcher.pollTimes(of: runner)
        #expect(times.contains { $0 >= fault.until })
        let finished = FaultRig.settings.finishedInterval.seconds
        if let last = times.last, let previous = times.dropLast().last {
            #expect(last - previous >= finished * (1 - FaultRig.settings.jitter) - 0.001)
        }
        #expect(rig.sleeps.all.isEmpty != fault.retriedByTheClient)
    }

    static func mean(_ values: some Collection<Double>) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}

/// One fault of the table, and what the loop should make of it.
struct InjectedFault: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        /// A poll error: reported once as failing, once as recovered.
        case reported
        /// An answer the state machine reports itself (an unknown status), not a poll error.
        case notAnError
    }

    enum Backoff: Sendable {
        /// Exponential with full jitter (transient and throttling errors).
        case exponential
        /// The idle cadence (errors that need someone to act).
        case idleCadence
        /// The usual cadence: nothing failed.
        case none
        /// The longest backoff every time: the service's hint asked for more.
        case longest
    }

    var rule: FaultRule
    var code: String?
    var expectation: Expectation = .reported
    var backoff: Backoff = .exponential
    var retriedByTheClient = true
    /// The shortest gap allowed between two polls while the fault lasts.
    var minimumGap = 1.0
    /// When the fault stops hitting, in seconds after the start.
    var until = 800.0
    var requestTimeout: Duration = .seconds(30)

    /// Whether the fault holds answers past the client's timeout.
    var holdsAnswers: Bool { rule.kind == .slow }

    var testDescription: String { rule.kind.rawValue }

    static let all: [InjectedFault] = [
        InjectedFault(rule: FaultRule(.http500), code: "InternalErrorException"),
        InjectedFault(rule: FaultRule(.http503), code: "ServiceUnavailable"),
        InjectedFault(rule: FaultRule(.throttle429, retryAfterMilliseconds: 3000), code: "TooManyRequestsException", minimumGap: 3),
        InjectedFault(rule: FaultRule(.throttling400, retryAfterMilliseconds: 3000), code: "ThrottlingException", minimumGap: 3),
        // A hint of 3,000 years: waited out only up to the longest backoff (300 s), never
        // overflowing a timer; the fault lasts long enough for the trouble to be reported.
        InjectedFault(
            rule: FaultRule(.throttle429, retryAfterMilliseconds: 100_000_000_000_000), code: "TooManyRequestsException",
            backoff: .longest, minimumGap: 300, until: 1500),
        InjectedFault(rule: FaultRule(.reset), code: "ConnectionError"),
        // Answers held far past the client's timeout; each attempt times out in real time, so
        // the fault is shorter and the timeout small.
        InjectedFault(rule: FaultRule(.slow, delaySeconds: 120), code: "Timeout", until: 500, requestTimeout: .milliseconds(500)),
        InjectedFault(rule: FaultRule(.malformed), code: "MalformedResponse", retriedByTheClient: false),
        InjectedFault(rule: FaultRule(.huge, sizeBytes: 300_000), code: "ResponseTooLarge", retriedByTheClient: false),
        InjectedFault(rule: FaultRule(.html), code: "502"),
        InjectedFault(rule: FaultRule(.unknownStatus, status: "PAUSED"), expectation: .notAnError, backoff: .none, retriedByTheClient: false),
        InjectedFault(rule: FaultRule(.notAuthorized), code: "NotAuthorizedException", backoff: .idleCadence, retriedByTheClient: false),
        InjectedFault(rule: FaultRule(.expiredToken), code: "ExpiredTokenException", backoff: .idleCadence, retriedByTheClient: false),
    ]
}
