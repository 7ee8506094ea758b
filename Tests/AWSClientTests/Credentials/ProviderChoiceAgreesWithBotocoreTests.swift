@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import Foundation
import Logging
import NetworkTestSupport
import Simulator
import Testing
import ProcessSupport

/// Which source answers for a given set of files and variables, checked against botocore on the
/// machine running the tests. Roles are assumed for real here, through the simulator's STS
/// (botocore only decides, and defers the call).
struct ProviderChoiceAgreesWithBotocoreTests {
    static let role = "arn:aws:iam::123456789012:role/watcher"

    /// A case: what the config and credentials files hold, the extra variables, and an explicit
    /// profile (`Session(profile=)` in botocore, `--profile` here).
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var config = ""
        var credentials = ""
        var environment: [String: String] = [:]
        var profile: String?
        var description: String { name }
    }

    static let keys = "aws_access_key_id = \(ScenarioCredential.demo.accessKeyID)\naws_secret_access_key = \(ScenarioCredential.demo.secretAccessKey)\n"
    static let environmentKeys = ["AWS_ACCESS_KEY_ID": ScenarioCredential.demo.accessKeyID, "AWS_SECRET_ACCESS_KEY": ScenarioCredential.demo.secretAccessKey]
    static let process = #"credential_process = /bin/echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "s"}'"# + "\n"

    static let cases: [Case] = [
        Case(name: "environment keys", environment: environmentKeys),
        Case(name: "AWS_PROFILE leaves the environment first", config: "[profile r]\nrole_arn = \(role)\nsource_profile = base\n[profile base]\n" + keys,
             environment: environmentKeys.merging(["AWS_PROFILE": "r"]) { $1 }),
        Case(name: "an explicit profile skips the environment", config: "[profile r]\nrole_arn = \(role)\nsource_profile = base\n[profile base]\n" + keys,
             environment: environmentKeys, profile: "r"),
        Case(name: "a role in the config beats keys in the credentials file", config: "[default]\nrole_arn = \(role)\nsource_profile = base\n[profile base]\n" + keys,
             credentials: "[default]\n" + keys),
        Case(name: "role_arn with a token file is web identity", config: "[default]\nrole_arn = \(role)\nweb_identity_token_file = TOKEN\n"),
        Case(name: "web identity from the environment beats the credentials file", credentials: "[default]\n" + keys,
             environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "TOKEN", "AWS_ROLE_ARN": role]),
        Case(name: "the credentials file beats credential_process", config: "[default]\n" + process, credentials: "[default]\n" + keys),
        Case(name: "credential_process beats keys in the config", config: "[default]\n" + process + keys),
        Case(name: "keys in the config file", config: "[default]\n" + keys),
        Case(name: "credential_source Environment", config: "[profile r]\nrole_arn = \(role)\ncredential_source = Environment\n",
             environment: environmentKeys, profile: "r"),
    ]

    /// botocore's method names for the sources here.
    static func method(of source: String) -> String {
        switch source {
        case let name where name.hasPrefix("environment"): "env"
        case let name where name.hasPrefix("assume-role profile"): "assume-role"
        case let name where name.hasPrefix("web identity"): "assume-role-with-web-identity"
        case let name where name.hasPrefix("shared credentials file"): "shared-credentials-file"
        case let name where name.hasPrefix("credential_process"): "custom-process"
        case let name where name.hasPrefix("config file"): "config-file"
        default: source
        }
    }

    @Test func theSameSourceAnswersAsInBotocore() async throws {
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let server = try await SimulatorServer.start(
            simulator: Simulator(scenario: Scenario(pools: []), clock: ManualClock(start: Date()), logger: quiet), tls: TestTLS.server, logger: quiet)
        let directory = try ScratchDirectory()
        let token = try directory.write("a-token", to: "token")
        var input: [[String: Any]] = []
        var environments: [[String: String]] = []
        for (index, testCase) in Self.cases.enumerated() {
            var environment = testCase.environment.mapValues { $0.replacingOccurrences(of: "TOKEN", with: token) }
            environment["AWS_CONFIG_FILE"] = try directory.write(testCase.config.replacingOccurrences(of: "TOKEN", with: token), to: "config-\(index)")
            environment["AWS_SHARED_CREDENTIALS_FILE"] = try directory.write(testCase.credentials, to: "credentials-\(index)")
            environment["AWS_EC2_METADATA_DISABLED"] = "true"
            environments.append(environment)
            input.append(["kind": "provider", "environment": environment, "profile": testCase.profile ?? NSNull()])
        }
        let theirs = try await BotocoreOracle.runPerCase(script: "botocore_network.py", input: input) { $0["method"] as? String }.get()
        try await HTTPTransport.with(settings: TestTLS.network) { transport in
            for (index, testCase) in Self.cases.enumerated() {
                var environment = environments[index]
                environment["AWS_ENDPOINT_URL_STS"] = server.endpoint
                let ours = try await CredentialChain(environment: environment, transport: transport, profile: testCase.profile).resolve()
                #expect(Self.method(of: ours.sourceName) == theirs[index], "\(testCase): ours \(ours.sourceName), botocore \(theirs[index] ?? "none")")
            }
        }
        try await server.shutdown()
    }
}
