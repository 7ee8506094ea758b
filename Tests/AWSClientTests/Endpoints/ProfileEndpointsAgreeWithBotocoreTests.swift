import Foundation
import NetworkTestSupport
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import ProcessSupport

/// Where a client's requests go when the shared config file's profile names an endpoint
/// (`endpoint_url`, a `[services NAME]` section's service block) or a FIPS / ignore flag, next to
/// the environment's variables: each case asked of botocore and of both our clients (Cognito Sync
/// and STS), with real files.
struct ProfileEndpointsAgreeWithBotocoreTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var config: String
        var environment: [String: String] = [:]
        var profile: String?
        var region = "eu-west-1"
        var testDescription: String { name }
    }

    static let services = """
        [default]
        services = local
        endpoint_url = https://everything.example.com
        [services local]
        sts =
          endpoint_url = https://sts.example.com
        """

    static let cases: [Case] = [
        Case(name: "endpoint_url", config: "[default]\nendpoint_url = https://everything.example.com\n"),
        Case(name: "a services section with an sts block", config: services),
        Case(name: "a cognito_sync block", config: """
            [default]
            services = local
            [services local]
            cognito_sync =
              endpoint_url = https://sync.example.com:8443
            """),
        Case(name: "AWS_ENDPOINT_URL beats the profile", config: services, environment: ["AWS_ENDPOINT_URL": "https://env.example.com"]),
        Case(name: "AWS_ENDPOINT_URL_STS", config: services, environment: ["AWS_ENDPOINT_URL_STS": "https://env-sts.example.com"]),
        Case(name: "ignore_configured_endpoint_urls", config: "[default]\nendpoint_url = https://everything.example.com\nignore_configured_endpoint_urls = true\n"),
        Case(name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", config: services, environment: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]),
        Case(name: "use_fips_endpoint", config: "[default]\nuse_fips_endpoint = true\n", region: "us-east-1"),
        Case(name: "AWS_USE_FIPS_ENDPOINT=false beats the profile", config: "[default]\nuse_fips_endpoint = true\n",
             environment: ["AWS_USE_FIPS_ENDPOINT": "false"], region: "us-east-1"),
        Case(name: "a named profile", config: "[default]\nendpoint_url = https://default.example.com\n[profile prod]\nendpoint_url = https://prod.example.com\n",
             profile: "prod"),
        Case(name: "AWS_PROFILE", config: "[default]\n[profile prod]\nendpoint_url = https://prod.example.com\n", environment: ["AWS_PROFILE": "prod"]),
        Case(name: "a quoted services name", config: "[default]\nservices = my local\n[services \"my local\"]\nsts =\n  endpoint_url = https://quoted.example.com\n"),
        Case(name: "a services section that does not exist", config: "[default]\nservices = missing\n"),
    ]

    @Test(arguments: ["cognito-sync", "sts"])
    func agreesWithBotocore(_ service: String) async throws {
        let input: [[String: Any]] = Self.cases.map { item in
            ["kind": "endpoint", "environment": item.environment, "config": item.config,
             "profile": item.profile as Any? ?? NSNull(), "service": service, "region": item.region]
        }
        let theirs = try await BotocoreOracle.runPerCase(script: "botocore_network.py", input: input) { result in
            (result["url"] as? String) ?? "error"
        }.get()
        for (item, expected) in zip(Self.cases, theirs) {
            let ours = try await Self.endpoint(of: service, item)
            #expect(ours == expected, "\(item.name)")
        }
    }

    /// A flag that is neither true nor false, and a services section that is not there, stop the
    /// client's calls with a message naming the setting, the profile and the fix.
    @Test func settingsThatCannotBeUsedAreNamed() async throws {
        let directory = try ScratchDirectory()
        func message(_ config: String) throws -> String? {
            let environment = ["AWS_CONFIG_FILE": try directory.write(config, to: "config"), "AWS_SHARED_CREDENTIALS_FILE": directory.file("none")]
            let client = CognitoSyncClient(
                transport: .shared, credentials: StaticCredentials(credentials: SimulatorBackedClient.demoKeys),
                configuration: CognitoSyncClientConfiguration(environment: environment, profile: "default"))
            do {
                _ = try client.endpoint(for: "eu-west-1")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(try message("[default]\nuse_fips_endpoint = yes\n")?.contains(
            "use_fips_endpoint in profile default is \"yes\"; set it to true or false, or remove it.") == true)
        #expect(try message("[default]\nservices = gone\n")?.contains(
            "profile default names services gone, but the config file has no [services gone] section; add it or remove the services line.") == true)
    }

    /// The endpoint our client of `service` would call, or "error".
    static func endpoint(of service: String, _ item: Case) async throws -> String {
        let directory = try ScratchDirectory()
        let config = try directory.write(item.config, to: "config")
        var environment = item.environment
        environment["AWS_CONFIG_FILE"] = config
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.file("none")
        environment["AWS_DEFAULT_REGION"] = item.region
        let profile = ProfileSelection(configured: item.profile, environment: environment).name
        switch service {
        case "sts":
            let settings = RoleSessionSettings(
                profile: profile, locations: SharedFileLocations(environment: environment), environment: environment,
                transport: .shared, now: { Date() }, processTimeout: .seconds(1))
            guard let client = try? settings.stsClient(source: "test") else { return "error" }
            return client.endpoint.url.absoluteString
        default:
            let client = CognitoSyncClient(
                transport: .shared, credentials: StaticCredentials(credentials: SimulatorBackedClient.demoKeys),
                configuration: CognitoSyncClientConfiguration(environment: environment, profile: profile))
            guard let endpoint = try? client.endpoint(for: item.region) else { return "error" }
            return endpoint.url.absoluteString
        }
    }
}
