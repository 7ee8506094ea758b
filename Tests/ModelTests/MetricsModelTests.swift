import Foundation
import Testing
@testable import Model

/// The `metrics` section, listen addresses, and what the metrics show of a pool's state.
struct MetricsModelTests {
    private static let pool = "\"pools\": [\"us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a\"]"

    private func parse(_ metrics: String) throws(ConfigurationError) -> MetricsOptions {
        try ConfigurationParser.parse(Data("{\"metrics\": \(metrics), \(Self.pool)}".utf8)).metrics
    }

    private func problems(_ metrics: String) -> [String] {
        Fixture.configurationProblems("{\"metrics\": \(metrics), \(Self.pool)}")
    }

    @Test func theSectionIsReadAndOptional() throws {
        let options = try parse(#"{"listen": "127.0.0.1:9464", "textfile": "/var/lib/prometheus/node-exporter/csw.prom"}"#)
        #expect(options.listen == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(options.textfile == "/var/lib/prometheus/node-exporter/csw.prom")
        #expect(options.isEnabled)
        let none = try ConfigurationParser.parse(Data("{\(Self.pool)}".utf8)).metrics
        #expect(none == MetricsOptions())
        #expect(!none.isEnabled)
    }

    @Test(arguments: [
        (#"{"listen": "9464"}"#, "metrics.listen: '9464' is not a host and port to listen on"),
        (#"{"listen": "127.0.0.1:99999"}"#, "metrics.listen: '127.0.0.1:99999' is not a host and port to listen on"),
        (#"{"listen": "::1:9464"}"#, "metrics.listen: '::1:9464' is not a host and port to listen on"),
        (#"{"textfile": "metrics.prom"}"#, "metrics.textfile: 'metrics.prom' is not an absolute path"),
        (#"{"textfile": "/var/lib/node-exporter/csw.txt"}"#, "metrics.textfile: '/var/lib/node-exporter/csw.txt' does not end in .prom"),
        (#"{}"#, "metrics: names neither \"listen\" nor \"textfile\""),
        (#"{"port": 9464}"#, "metrics.port: unknown key"),
    ])
    func aBadSectionSaysWhatIsWrong(_ metrics: String, _ expected: String) {
        let found = problems(metrics)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464, true),
        ("[::1]:9464", "::1", 9464, true),
        ("localhost:0", "localhost", 0, true),
        ("0.0.0.0:9464", "0.0.0.0", 9464, false),
        ("[::]:9464", "::", 9464, false),
        ("metrics.example.com:9464", "metrics.example.com", 9464, false),
    ])
    func listenAddresses(_ text: String, _ host: String, _ port: Int, _ loopback: Bool) throws {
        let address = try #require(ListenAddress(parsing: text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.isLoopback == loopback)
        #expect(address.description == text)
    }

    @Test(arguments: ["", ":9464", "[::1]", "[::1]9464", "host:", "host:-1", "host:+80", "a b:80", "[127.0.0.1]:80"])
    func notListenAddresses(_ text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }

    @Test func aPoolNeverPolledIsUnknown() {
        let reading = PoolReading(PoolState())
        #expect(reading == PoolReading(status: "UNKNOWN"))
    }

    @Test func aRunInProgressBeganAtItsStart() {
        let run = RunRecord(startTime: Fixture.at(100), firstSeenAt: Fixture.at(160), status: .inProgress)
        let reading = PoolReading(PoolState(lastStatus: .inProgress, lastObservedAt: Fixture.at(200), run: run))
        #expect(reading == PoolReading(
            status: "IN_PROGRESS", lastTransition: Fixture.at(100), runStart: Fixture.at(100),
            lastSuccessfulPoll: Fixture.at(200)))
        // Without a start time from the service, the time the watcher first saw the run.
        let unstarted = RunRecord(startTime: nil, firstSeenAt: Fixture.at(160), status: .inProgress)
        #expect(PoolReading(PoolState(lastStatus: .inProgress, run: unstarted)).lastTransition == Fixture.at(160))
    }

    @Test(arguments: [BulkPublishStatus.failed, .succeeded])
    func aFinishedRunChangedAtItsCompletion(_ status: BulkPublishStatus) {
        let run = RunRecord(startTime: Fixture.at(100), firstSeenAt: Fixture.at(100), status: status, completeTime: Fixture.at(400))
        let reading = PoolReading(PoolState(lastStatus: status, lastObservedAt: Fixture.at(500), run: run))
        #expect(reading.status == status.rawValue)
        #expect(reading.lastTransition == Fixture.at(400))
        #expect(reading.runComplete == Fixture.at(400))
    }

    @Test func aStatusThisVersionDoesNotKnowIsUnknown() {
        let reading = PoolReading(PoolState(lastStatus: .unrecognized("PAUSED"), lastObservedAt: Fixture.at(1)))
        #expect(reading.status == "UNKNOWN")
        #expect(reading.lastSuccessfulPoll == Fixture.at(1))
        #expect(MetricCatalog.statusValues.contains(reading.status))
    }

    @Test func everyCauseIsAnOutcomeTheCatalogNames() {
        let help = MetricCatalog.polls.help
        for cause in PollFailure.Cause.allCases {
            #expect(help.contains(cause.rawValue), "\(cause)")
        }
        #expect(PollFailure(kind: .throttled, code: "x", message: "y").cause == .throttled)
        #expect(PollFailure(kind: .unreachable, code: "x", message: "y").cause == .network)
    }
}
