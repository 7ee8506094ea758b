#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import AsyncHTTPClient
import Foundation
import Model
import NIOCore
import NIOHTTP1
import Simulator
import Testing
import ProcessSupport

/// The daemon with metrics on, as Prometheus and node_exporter meet it: a pool that fails shows
/// FAILED at 1 on `/metrics`; the whole exposition passes Prometheus' own parser and linter
/// (`promtool check metrics`); the textfile holds the same, readable by another user; and the
/// shipped alert rules pass `promtool check rules` and their unit tests.
struct MetricsCommandTests {
    private static let failing = TestPool.id(451)
    private static let succeeding = TestPool.id(452, region: "eu-west-1")
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func aScrapeShowsTheFailedPoolAndPassesPrometheusOwnChecks() async throws {
        let promtool = try await Self.promtool()
        let scratch = try ScratchDirectory()
        let service = try await SimulatedService.start([
            TestPool.scripted(Self.failing, name: "orders", [(0, .inProgress), (1, .failed)], failureMessage: "stream gone"),
            TestPool.scripted(Self.succeeding, name: "users", [(-100, .succeeded)]),
        ])
        defer { Task { await service.shutdown() } }
        let textfile = scratch.url.appendingPathComponent("node-exporter/cognito-sync-watcher.prom")
        try FileManager.default.createDirectory(at: textfile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let config = try scratch.write("""
            {
              "aws": {"endpoint": "\(service.endpoint)"},
              "stateDirectory": "\(scratch.url.appendingPathComponent("state").path)",
              "metrics": {"listen": "127.0.0.1:0", "textfile": "\(textfile.path)"},
              "defaults": {"inProgressIntervalSeconds": 1, "idleIntervalSeconds": 1, "finishedIntervalSeconds": 1, "jitter": 0},
              "pools": [{"id": "\(Self.failing)", "name": "orders"}, {"id": "\(Self.succeeding)", "name": "users"}]
            }
            """, to: "config.json")
        let daemon = try Watcher.start(["run", "--config", config, "--log-target", "stderr"], home: scratch.url, environment: Watcher.demoKeys)
        let listening = await daemon.wait(timeout: .seconds(20)) { $0.isComplete || Self.port(in: $0.stderr) != nil }
        let port = try #require(listening.flatMap { Self.port(in: $0.stderr) }, "no 'serving metrics' line: \(daemon.output)")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let url = "http://127.0.0.1:\(port)/metrics"

        let inProgress = try await Self.scrape(url, client: client, until: { $0.contains(Self.status(Self.failing, "orders", "IN_PROGRESS") + " 1") })
        #expect(inProgress != nil, "never IN_PROGRESS: \(daemon.output)")
        service.advance(to: 1)
        let failedLine = Self.status(Self.failing, "orders", "FAILED") + " 1"
        let scraped = try #require(try await Self.scrape(url, client: client, until: { $0.contains(failedLine) }), "never FAILED: \(daemon.output)")
        for expected in [
            Self.status(Self.failing, "orders", "IN_PROGRESS") + " 0",
            Self.status(Self.succeeding, "users", "SUCCEEDED") + " 1",
            "cognito_sync_watcher_polls_total{pool=\"\(Self.failing)\",name=\"orders\",outcome=\"ok\"} ",
            "cognito_sync_watcher_bulk_publish_complete_timestamp_seconds{pool=\"\(Self.failing)\",name=\"orders\"} ",
            "cognito_sync_watcher_events_total{kind=\"failed\"} 1",
            "cognito_sync_watcher_request_duration_seconds_count{region=\"us-east-1\"} ",
            "cognito_sync_watcher_request_duration_seconds_bucket{region=\"eu-west-1\",le=\"+Inf\"} ",
            "cognito_sync_watcher_retries_total{region=\"us-east-1\"} 0",
            "cognito_sync_watcher_credentials_expiry_timestamp_seconds{identity=\"default\"} 0",
            "cognito_sync_watcher_build_info{version=\"",
        ] {
            #expect(scraped.contains(expected), "missing \(expected) in:\n\(scraped)" as Comment)
        }
        #expect(!scraped.contains(ScenarioCredential.demo.secretAccessKey))

        // Prometheus' own text parser and linter, on the whole exposition.
        let exposition = try scratch.write(scraped, to: "scrape.txt")
        let check = try await Self.run("/bin/sh", ["-c", "'\(promtool)' check metrics < '\(exposition)'"])
        #expect(check.status == 0, "promtool check metrics: \(check)")

        // Anything but GET /metrics.
        let other = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/other"), timeout: .seconds(10))
        #expect(other.status == .notFound)
        var post = HTTPClientRequest(url: url)
        post.method = .POST
        #expect(try await client.execute(post, timeout: .seconds(10)).status == .methodNotAllowed)

        daemon.send(SIGTERM)
        let output = await daemon.finish(timeout: .seconds(15))
        #expect(output.status == 0, "\(output)")

        // The textfile: the same series, written at stop, readable by node_exporter's user.
        let written = try String(contentsOf: textfile, encoding: .utf8)
        #expect(written.contains(failedLine), "\(written)")
        let attributes = try FileManager.default.attributesOfItem(atPath: textfile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        #expect(try FileManager.default.contentsOfDirectory(atPath: textfile.deletingLastPathComponent().path) == ["cognito-sync-watcher.prom"],
                "no temporary file left behind")
        let fileCheck = try await Self.run("/bin/sh", ["-c", "'\(promtool)' check metrics < '\(textfile.path)'"])
        #expect(fileCheck.status == 0, "promtool check metrics on the textfile: \(fileCheck)")
    }

    @Test func aPortInUseStopsTheStartWithTheReason() async throws {
        let scratch = try ScratchDirectory()
        // A listener of our own holds the port.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, length) == 0 && listen(holder, 1) == 0 && getsockname(holder, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let config = try scratch.write("""
            {"aws": {"endpoint": "https://127.0.0.1:9"}, "stateDirectory": "\(scratch.url.path)/state",
             "metrics": {"listen": "127.0.0.1:\(port)"}, "pools": ["\(Self.failing)"]}
            """, to: "config.json")
        let output = try await Watcher.run(["run", "--config", config, "--log-target", "stderr"], home: scratch.url)
        #expect(output.status == 2, "\(output)")
        #expect(output.stderr.contains("cannot serve metrics on 127.0.0.1:\(port): another program already listens on that port; choose another in metrics.listen"),
                "\(output)")
        #expect(!output.stderr.contains("IOError") && !output.stderr.contains("NIO"), "\(output)")
    }

    @Test func checkConfigShowsTheMetricsAndWarnsAboutAnOpenEndpoint() async throws {
        let scratch = try ScratchDirectory()
        let config = try scratch.write("""
            {"metrics": {"listen": "0.0.0.0:9464", "textfile": "/var/lib/prometheus/node-exporter/csw.prom"}, "pools": ["\(Self.failing)"]}
            """, to: "config.json")
        let output = try await Watcher.run(["check-config", "--config", config], home: scratch.url)
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.contains("Metrics:         served at http://0.0.0.0:9464/metrics; written to /var/lib/prometheus/node-exporter/csw.prom"), "\(output)")
        #expect(output.stdout.contains("warning: metrics.listen 0.0.0.0:9464 is reachable from other machines"), "\(output)")
    }

    @Test func theAlertRulesPassPromtoolAndTheirUnitTests() async throws {
        let promtool = try await Self.promtool()
        let rules = Self.root.appendingPathComponent("deploy/prometheus")
        let check = try await Self.run(promtool, ["check", "rules", rules.appendingPathComponent("alerts.yml").path])
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.contains("SUCCESS: 5 rules found"), "\(check)")
        let unit = try await Self.run(promtool, ["test", "rules", rules.appendingPathComponent("alerts.test.yml").path])
        #expect(unit.status == 0, "\(unit)")
    }

    @Test func theDashboardQueriesOnlyMetricsTheWatcherExports() throws {
        let file = Self.root.appendingPathComponent("deploy/grafana/cognito-sync-watcher.json")
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 7)
        let known = Set(MetricCatalog.all.map(\.name))
        for expression in expressions {
            let names = expression.matches(of: /cognito_sync_watcher_[a-z_]+/).map { String($0.output) }
            #expect(!names.isEmpty, "\(expression)")
            for name in names {
                let family = name.replacing(/_(bucket|count|sum)$/, with: "")
                #expect(known.contains(family), "\(name) in \(expression)")
            }
        }
        let titles = panels.compactMap { $0["title"] as? String }
        for title in ["Pools by status", "Run durations", "Poll errors", "Request latency"] {
            #expect(titles.contains(title))
        }
    }

    // MARK: - Helpers

    private static func status(_ pool: IdentityPoolID, _ name: String, _ status: String) -> String {
        "cognito_sync_watcher_pool_status{pool=\"\(pool)\",name=\"\(name)\",status=\"\(status)\"}"
    }

    /// The port of the daemon's `serving metrics` line.
    private static func port(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("serving metrics") }),
              let match = line.firstMatch(of: /127\.0\.0\.1:([0-9]+)/) else { return nil }
        return Int(match.1)
    }

    /// Scrapes every 100 ms (up to 20 s) until `condition` holds; the body that met it.
    private static func scrape(_ url: String, client: HTTPClient, until condition: (String) -> Bool) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            #expect(response.status == .ok)
            #expect(response.headers["Content-Type"] == ["text/plain; version=0.0.4; charset=utf-8"])
            let body = String(buffer: try await response.body.collect(upTo: 1 << 24))
            if condition(body) { return body }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// `scripts/promtool`: Prometheus' checker, from Debian's package.
    private static func promtool() async throws -> String {
        let found = try await run(root.appendingPathComponent("scripts/promtool").path, [])
        try #require(found.status == 0, "scripts/promtool: \(found)")
        return found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func run(_ executable: String, _ arguments: [String]) async throws -> ChildProcess.Output {
        let environment = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG"].contains($0.key) }
        let child = try ChildProcess.start(executable, arguments, environment: environment)
        return await child.finish(timeout: .seconds(120))
    }
}
