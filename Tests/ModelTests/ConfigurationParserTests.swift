import Foundation
import Testing
@testable import Model

struct ConfigurationParserTests {
    static let id1 = "us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a"
    static let id2 = "eu-west-1:9c3e5a7b-1d2f-4a6c-8e0b-3f5d7a9c1e2b"

    private func parse(_ json: String) throws(ConfigurationError) -> WatcherConfiguration {
        try ConfigurationParser.parse(Data(json.utf8))
    }

    private func problems(_ json: String) -> [String] {
        Fixture.configurationProblems(json)
    }

    @Test func theExampleConfigurationIsValid() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config.example.json")
        let configuration = try ConfigurationParser.parse(Data(contentsOf: url))
        #expect(configuration.pools.count == 3)
        #expect(configuration.regions == ["eu-west-1", "us-east-1"])
        #expect(configuration.pools[1].settings.inProgressInterval == 60)
        #expect(configuration.pools[1].settings.stallAfter == 7200)
        #expect(configuration.pools[1].settings.idleInterval == 600, "inherited from defaults")
        // The default credential chain: a new user's `[default]` profile, instance metadata, …
        #expect(configuration.aws.profile == nil)
        // Every hooks key shown, none set: no command runs until one is configured.
        #expect(configuration.hooks == HookSettings())
    }

    @Test func poolsMayNameIdentitiesOfTheirOwn() throws {
        let configuration = try parse("""
            {"aws": {"caBundle": "/etc/ca.pem", "proxy": "http://proxy:3128"}, "pools": [
              {"id": "\(Self.id1)", "profile": "audit"},
              {"id": "\(Self.id2)", "roleArn": "arn:aws:iam::123456789012:role/watch", "profile": "audit"},
              "\(Self.id1.replacingOccurrences(of: "4a", with: "4b"))"
            ]}
            """)
        #expect(configuration.pools[0].identity == PoolIdentity(profile: "audit"))
        #expect(configuration.pools[1].identity == PoolIdentity(profile: "audit", roleARN: "arn:aws:iam::123456789012:role/watch"))
        #expect(configuration.pools[2].identity == nil)
        #expect(configuration.poolIdentities.count == 2)
        #expect(configuration.aws.caBundle == "/etc/ca.pem")
        #expect(configuration.aws.proxy == ProxyOptions(https: "http://proxy:3128", http: "http://proxy:3128"))
        #expect(problems(#"{"pools": [{"id": "\#(Self.id1)", "roleArn": "watch", "profile": "a]"}], "aws": {"caBundle": "ca.pem", "proxy": {"noProxy": ["x"]}}}"#) == [
            "aws.caBundle: 'ca.pem' is not an absolute path (for example '/etc/ssl/certs/corporate-ca.pem')",
            "aws.proxy: names no proxy (set \"https\" (the proxy for AWS's https endpoints), or remove the key)",
            "pools[0].profile: the profile name must be non-empty, on one line, without '[' or ']'",
            "pools[0].roleArn: 'watch' is not a role ARN (for example 'arn:aws:iam::123456789012:role/cognito-sync-watcher')",
        ])
    }

    @Test func aMinimalConfigurationTakesTheDefaults() throws {
        let configuration = try parse(#"{"pools": ["\#(Self.id1)"]}"#)
        #expect(configuration.pools == [WatchedPool(id: try IdentityPoolID(validating: Self.id1))])
        #expect(configuration.limits == RequestLimits())
        #expect(configuration.stateDirectory == nil)
        #expect(configuration.runtimeDirectory == nil)
        #expect(try parse(#"{"runtimeDirectory": "/run/watcher", "pools": ["\#(Self.id1)"]}"#).runtimeDirectory == "/run/watcher")
    }

    @Test func perPoolOverridesWinOverDefaults() throws {
        let configuration = try parse("""
            {"defaults": {"inProgressIntervalSeconds": 20, "stallAfterSeconds": 600},
             "aws": {"region": "us-west-2", "endpoint": "http://127.0.0.1:4600"},
             "pools": [{"id": "\(Self.id1)", "inProgressIntervalSeconds": 10, "name": "a"},
                       {"id": "\(Self.id2)", "region": "eu-central-1"}]}
            """)
        #expect(configuration.pools[0].settings.inProgressInterval == 10)
        #expect(configuration.pools[0].settings.stallAfter == 600)
        #expect(configuration.pools[0].region == "us-west-2")
        #expect(configuration.pools[1].settings.inProgressInterval == 20)
        #expect(configuration.pools[1].region == "eu-central-1")
        #expect(configuration.aws.endpoint == "http://127.0.0.1:4600")
    }

    /// Each bad configuration with the problem it must produce (path and words).
    static let badConfigurations: [(String, String)] = [
        ("{\"pools\": [", "$: not valid JSON"),
        ("{\"pools\": [\n  \"a\",,\n", "$: not valid JSON: Invalid value at line 2, column 7"),
        ("[]", "$: the configuration must be a JSON object, not an array"),
        (#"{"pools": ["\#(id1)"], "pool": []}"#, "pool: unknown key (did you mean 'pools'?)"),
        (#"{"pools": [{"id": "\#(id1)", "stallAfterSecond": 60}]}"#, "pools[0].stallAfterSecond: unknown key (did you mean 'stallAfterSeconds'?)"),
        (#"{"pools": ["\#(id1)"], "colour": "red"}"#, "colour: unknown key (allowed here: aws, stateDirectory, runtimeDirectory, limits, defaults, pools, metrics, hooks)"),
        ("{}", "pools: is missing"),
        (#"{"pools": []}"#, "pools: is empty: there is nothing to watch"),
        (#"{"pools": {}}"#, "pools: must be an array, not an object"),
        (#"{"pools": [{"name": "x"}]}"#, "pools[0].id: is missing"),
        (#"{"pools": [42]}"#, "pools[0]: must be an object with an \"id\" (or the id as a string), not a number"),
        (#"{"pools": ["us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE"]}"#,
         "pools[0].id: 'us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE' is not a valid identity pool id: character 'E' at position 13 is not allowed after the ':'; the GUID part may hold only lower-case hex digits 0-9, a-f and '-'"),
        (#"{"pools": ["us-east-1:\#(String(repeating: "a", count: 46))"]}"#, "56 characters long"),
        (#"{"pools": ["\#(id1)", {"id": "\#(id1)"}]}"#, "pools[1].id: '\(id1)' is listed twice (first at pools[0])"),
        (#"{"pools": [{"id": "\#(id1)", "name": "a"}, {"id": "\#(id2)", "name": "a"}]}"#, "pools[1].name: the name 'a' is already used by pools[0]"),
        (#"{"pools": [{"id": "\#(id1)", "inProgressIntervalSeconds": "30s"}]}"#, "pools[0].inProgressIntervalSeconds: must be a number, not the string \"30s\""),
        (#"{"pools": [{"id": "\#(id1)", "inProgressIntervalSeconds": 0}]}"#, "pools[0].inProgressIntervalSeconds: 0 is out of range (allowed: 1 to 86400)"),
        (#"{"defaults": {"jitter": 0.9}, "pools": ["\#(id1)"]}"#, "defaults.jitter: 0.9 is out of range (allowed: 0 to 0.5)"),
        (#"{"defaults": {"stallAfterSeconds": 10}, "pools": ["\#(id1)"]}"#, "defaults.stallAfterSeconds: the stall limit (10 s) is shorter than the in-progress poll interval (30 s)"),
        (#"{"pools": [{"id": "\#(id1)", "errorBackoffMaxSeconds": 2}]}"#, "pools[0].errorBackoffMaxSeconds: the longest error backoff (2 s) is shorter than its base (5 s)"),
        (#"{"limits": {"maxConcurrentPolls": 1.5}, "pools": ["\#(id1)"]}"#, "limits.maxConcurrentPolls: must be a whole number, not 1.5"),
        (#"{"limits": {"maxRequestsPerSecond": -1}, "pools": ["\#(id1)"]}"#, "limits.maxRequestsPerSecond: -1 is out of range"),
        (#"{"limits": {"requestTimeoutSeconds": true}, "pools": ["\#(id1)"]}"#, "limits.requestTimeoutSeconds: must be a number, not a boolean"),
        (#"{"aws": {"region": "US East"}, "pools": ["\#(id1)"]}"#, "aws.region: 'US East' is not an AWS region name"),
        (#"{"aws": {"endpoint": "cognito-sync.example"}, "pools": ["\#(id1)"]}"#, "aws.endpoint: 'cognito-sync.example' is not an http(s) URL with a host"),
        (#"{"aws": {"endpoint": "https://x.example", "useFIPSEndpoint": true}, "pools": ["\#(id1)"]}"#, "aws.endpoint: a custom endpoint cannot be combined with useFIPSEndpoint or useDualStackEndpoint"),
        (#"{"aws": {"useDualStackEndpoint": "yes"}, "pools": ["\#(id1)"]}"#, "aws.useDualStackEndpoint: must be true or false, not a string"),
        (#"{"aws": {"profile": ""}, "pools": ["\#(id1)"]}"#, "aws.profile: the profile name must be non-empty"),
        (#"{"stateDirectory": "var/lib/x", "pools": ["\#(id1)"]}"#, "stateDirectory: 'var/lib/x' is not an absolute path"),
        (#"{"runtimeDirectory": "run/x", "pools": ["\#(id1)"]}"#, "runtimeDirectory: 'run/x' is not an absolute path (for example '/run/cognito-sync-watcher')"),
        (#"{"pools": [{"id": "\#(id1)", "name": "bad\nname"}]}"#, "pools[0].name: the name must be 1 to 100 characters without control characters"),
        (#"{"pools": ["local:abc"]}"#, "pools[0].id: the part before ':' ('local') is not an AWS region"),
        (#"{"pools": [{"id": "\#(id1)", "reportErrorsAfter": 0}]}"#, "pools[0].reportErrorsAfter: 0 is out of range (allowed: 1 to 1000)"),
        (#"{"defaults": [], "pools": ["\#(id1)"]}"#, "defaults: must be an object, not an array"),
    ]

    @Test(arguments: badConfigurations)
    func badConfigurationsAreExplained(_ json: String, _ expected: String) {
        let found = problems(json)
        #expect(found.contains { $0.hasPrefix(expected) || $0.contains(expected) }, "got: \(found)")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = problems("""
            {"colour": 1, "limits": {"maxConcurrentPolls": 0},
             "pools": [{"id": "bad"}, {"id": "\(Self.id1)", "jitter": 2}, "\(Self.id1)"]}
            """)
        #expect(found.count == 5, "got: \(found)")
        #expect(found.contains { $0.hasPrefix("colour:") })
        #expect(found.contains { $0.hasPrefix("limits.maxConcurrentPolls:") })
        #expect(found.contains { $0.hasPrefix("pools[0].id:") })
        #expect(found.contains { $0.hasPrefix("pools[1].jitter:") })
        #expect(found.contains { $0.hasPrefix("pools[2].id:") && $0.contains("listed twice") })
    }

    @Test func theErrorDescriptionCountsAndListsProblems() {
        do {
            _ = try parse(#"{"pools": [], "x": 1}"#)
            Issue.record("an invalid configuration was accepted")
        } catch {
            #expect(error.description.hasPrefix("the configuration has 2 problems:\n  - "))
        }
    }

    @Test func nullMeansNotSet() throws {
        let configuration = try parse(#"{"aws": {"region": null, "endpoint": null}, "stateDirectory": null, "pools": ["\#(Self.id1)"]}"#)
        #expect(configuration.aws == AWSOptions())
    }
}
