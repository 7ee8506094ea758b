import Foundation
import Testing
@testable import Model

/// The daemon's status file and what `daemon-status` makes of it.
struct DaemonViewTests {
    private static let other = try! IdentityPoolID(validating: "eu-west-1:9c3e5a7b-1d2f-4a6c-8e0b-3f5d7a9c1e2b")

    /// A failing pool with every field set, and a pool never polled, in a view written at 100 s.
    static func view(writtenAt: TimeInterval = 100, stoppedAt: TimeInterval? = nil) -> DaemonView {
        DaemonView(
            version: "0.2.0+g1a2b3c4", pid: 4321, startedAt: Fixture.at(0), writtenAt: Fixture.at(writtenAt), refreshSeconds: 30,
            stoppedAt: stoppedAt.map(Fixture.at),
            pools: [
                PoolView(
                    id: Fixture.poolID, name: "game-prod", region: "us-east-1", status: .failed, runStartTime: Fixture.at(10),
                    runCompleteTime: Fixture.at(40), runFailureMessage: "access denied to the stream", lastSuccessfulPoll: Fixture.at(60),
                    lastError: PoolView.LastError(code: "ThrottlingException", message: "Rate exceeded", kind: .throttled, since: Fixture.at(70),
                                                  consecutiveFailures: 4, reported: true),
                    nextPoll: Fixture.at(126)),
                PoolView(id: other, region: "eu-west-1", polling: true),
            ])
    }

    @Test func theFileRoundTripsAndNamesEveryKey() throws {
        let view = Self.view(stoppedAt: 99)
        let data = try view.encoded()
        #expect(try DaemonView.decode(data) == view)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("\n"), "one line")
        #expect(text.contains(#""writtenAt":"2027-01-15T08:01:40Z""#), "\(text)")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["format"] as? Int == DaemonView.currentFormat)
        let pools = try #require(object["pools"] as? [[String: Any]])
        let keys: Set = [
            "id", "name", "region", "status", "runStartTime", "runCompleteTime", "runFailureMessage", "lastSuccessfulPoll", "lastError",
            "nextPoll", "polling",
        ]
        #expect(Set(pools[0].keys) == keys)
        #expect(Set(pools[1].keys) == keys, "unknown values are null, not left out")
        #expect(pools[1]["status"] is NSNull)
        #expect((pools[0]["lastError"] as? [String: Any])?["consecutiveFailures"] as? Int == 4)
    }

    @Test func aRunningViewHasNoStopTime() throws {
        let data = try Self.view().encoded()
        #expect(try DaemonView.decode(data).stoppedAt == nil)
        #expect(String(decoding: data, as: UTF8.self).contains(#""stoppedAt":null"#))
    }

    @Test(arguments: [
        ("{\"format\": 2}", "it is in format 2, this version reads format 1; run the daemon-status of the version the daemon runs"),
        ("{\"format\": 1", "it is not JSON (cut short, or not written by the daemon)"),
        ("", "it is not JSON (cut short, or not written by the daemon)"),
        ("{\"format\": 1, \"version\": \"x\", \"pid\": 1}", "startedAt is missing"),
    ])
    func aFileThatCannotBeUsedSaysWhy(content: String, reason: String) {
        #expect(throws: DaemonViewError(reason: reason)) { try DaemonView.decode(Data(content.utf8)) }
    }

    @Test func aBadPoolIsNamedByItsPlace() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Self.view().encoded()) as? [String: Any])
        var pools = try #require(object["pools"] as? [[String: Any]])
        pools[1]["region"] = nil
        object["pools"] = pools
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DaemonViewError(reason: "pools[1].region is missing")) { try DaemonView.decode(data) }
    }

    @Test func theLoopsStateBecomesAView() {
        let state = PoolState(
            lastStatus: .inProgress, lastObservedAt: Fixture.at(5),
            run: RunRecord(startTime: Fixture.at(1), firstSeenAt: Fixture.at(2), status: .inProgress),
            failure: FailureRecord(since: Fixture.at(3), kind: .transient, code: "HTTP 503", message: "unavailable", consecutiveFailures: 2, reported: false))
        let pool = Fixture.pool()
        let view = PoolView(pool: pool, state: state, nextPoll: Fixture.at(9), polling: false)
        #expect(view == PoolView(
            id: pool.id, name: "game-prod", region: "us-east-1", status: .inProgress, runStartTime: Fixture.at(1), lastSuccessfulPoll: Fixture.at(5),
            lastError: PoolView.LastError(code: "HTTP 503", message: "unavailable", kind: .transient, since: Fixture.at(3), consecutiveFailures: 2, reported: false),
            nextPoll: Fixture.at(9)))
        let polling = PoolView(pool: pool, state: PoolState(), nextPoll: Fixture.at(9), polling: true)
        #expect(polling.nextPoll == nil && polling.polling && polling.status == nil)
    }

    // MARK: - The verdict

    @Test(arguments: [
        // (now, stopped at, process exists, verdict)
        (110.0, nil, true, DaemonViewReport.Verdict.running),
        (190.0, nil, nil, .running),  // three rewrites of 30 s may be late, not more
        (191.0, nil, true, .stale),
        (110.0, nil, false, .gone),
        (110.0, 99.0, false, .stopped),
        (50.0, nil, true, .running),  // the clock went back: not stale
    ] as [(TimeInterval, TimeInterval?, Bool?, DaemonViewReport.Verdict)])
    func theVerdictFollowsTheFile(now: TimeInterval, stoppedAt: TimeInterval?, processExists: Bool?, verdict: DaemonViewReport.Verdict) {
        let report = DaemonViewReport(file: "/run/x/status.json", view: Self.view(stoppedAt: stoppedAt), now: Fixture.at(now), processExists: processExists)
        #expect(report.verdict == verdict)
    }

    @Test func noFileMeansNotRunningAndNamesWhereItLooked() {
        let report = DaemonViewReport(file: "/run/csw/status.json", alsoSearched: ["/var/lib/csw/status.json"], view: nil, now: Fixture.at(0), processExists: nil)
        #expect(report.verdict == .missing)
        #expect(report.text() == "The daemon is not running: there is no status file at /run/csw/status.json, nor at /var/lib/csw/status.json. "
            + "(Under systemd: systemctl status cognito-sync-watcher.)")
        let json = report.json()
        #expect(json.contains(#""status" : "not running""#), "\(json)")
        #expect(json.contains(#""pools" : ["#), "\(json)")
    }

    // MARK: - Rendering

    @Test func theTableShowsWhatTheDaemonSaw() {
        let text = DaemonViewReport(file: "/run/x/status.json", view: Self.view(), now: Fixture.at(112), processExists: true).text()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "The daemon is running (pid 4321, version 0.2.0+g1a2b3c4, started 2027-01-15T08:00:00Z). "
            + "This view is from 2027-01-15T08:01:40Z (12s ago); the daemon rewrites it every 30s and soon after a change.")
        #expect(lines[1].hasPrefix("POOL "))
        #expect(lines[1].contains("NEXT POLL    LAST ERROR"))
        #expect(lines[1].hasSuffix("FAILURE MESSAGE"))
        #expect(lines[2].hasPrefix("\(Fixture.poolID)  game-prod  FAILED   2027-01-15T08:00:10Z  2027-01-15T08:00:40Z  52s ago    in 14s       "))
        #expect(lines[2].hasSuffix("ThrottlingException: Rate exceeded (4 in a row since 2027-01-15T08:01:10Z)  access denied to the stream"))
        #expect(lines[3].hasPrefix("\(Self.other)  -          UNKNOWN  -                     -                     never      polling now  -"))
        #expect(lines.count == 4)
    }

    @Test func aStoppedDaemonShowsNoNextPoll() {
        let text = DaemonViewReport(file: "/x", view: Self.view(stoppedAt: 101), now: Fixture.at(161), processExists: false).text()
        #expect(text.hasPrefix("The daemon is not running: it stopped at 2027-01-15T08:01:41Z (1m ago). What it saw last:\n"))
        #expect(!text.contains("in 14s") && !text.contains("polling now"))
    }

    @Test func aStaleViewSaysHowOld() {
        let report = DaemonViewReport(file: "/x", view: Self.view(), now: Fixture.at(400), processExists: true)
        #expect(report.summary.hasPrefix("The daemon's view is stale: it was written at 2027-01-15T08:01:40Z (5m ago), "
            + "and a running daemon rewrites it every 30s. The daemon (pid 4321) is stuck"))
        #expect(report.text().contains("due now"), "the next poll is past")
        let gone = DaemonViewReport(file: "/x", view: Self.view(), now: Fixture.at(400), processExists: false)
        #expect(gone.summary == "The daemon is not running: its process (pid 4321) no longer exists, and it did not stop cleanly. "
            + "What it saw last, at 2027-01-15T08:01:40Z (5m ago):")
    }

    @Test func namesAndMessagesStayOnOneLine() {
        var view = Self.view()
        view.pools[0].name = "evil\nname\u{1B}[31m"
        view.pools[0].lastError?.message = "line one\nline two"
        let text = DaemonViewReport(file: "/x", view: view, now: Fixture.at(110), processExists: true).text()
        #expect(text.split(separator: "\n").count == 4)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("Rate exceeded") == false && text.contains("line one line two"))
    }

    @Test func theJSONCarriesTheVerdictAndThePools() throws {
        let json = DaemonViewReport(file: "/run/x/status.json", view: Self.view(), now: Fixture.at(112), processExists: true).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let daemon = try #require(object["daemon"] as? [String: Any])
        #expect(daemon["status"] as? String == "running")
        #expect(daemon["viewAgeSeconds"] as? Int == 12)
        #expect(daemon["pid"] as? Int == 4321)
        #expect(daemon["file"] as? String == "/run/x/status.json")
        #expect(daemon["stoppedAt"] is NSNull)
        let pools = try #require(object["pools"] as? [[String: Any]])
        #expect(pools.map { $0["status"] as? String } == ["FAILED", nil])
        #expect(pools[0]["nextPoll"] as? String == "2027-01-15T08:02:06Z")
        #expect((pools[0]["lastError"] as? [String: Any])?["code"] as? String == "ThrottlingException")
    }
}
