@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import Crypto
import Foundation
import Logging
import Model
import NIOHTTP1
import NetworkTestSupport
import Simulator
import Testing
import ProcessSupport

/// Roles assumed through the simulator's STS over HTTPS, as a profile sets them up: from a source
/// profile's keys, chained, from the environment, with web identity; and the set-ups botocore
/// refuses (a loop, MFA, a wrong external id), each with the role and the fix in the message.
struct AssumeRoleTests {
    static let watcherRole = "arn:aws:iam::123456789012:role/watcher"
    static let readerRole = "arn:aws:iam::123456789012:role/reader"
    static let podRole = "arn:aws:iam::123456789012:role/pod"
    static let pool = "us-east-1:0b5c1a4e-6f0d-4c3a-9a51-2f4e8d7c9b10"

    static let config = """
        [profile base]
        aws_access_key_id = \(ScenarioCredential.demo.accessKeyID)
        aws_secret_access_key = \(ScenarioCredential.demo.secretAccessKey)

        [profile watcher]
        role_arn = \(watcherRole)
        source_profile = base
        external_id = fleet-7
        role_session_name = nightly
        duration_seconds = 1800

        [profile chained]
        role_arn = \(readerRole)
        source_profile = watcher

        [profile on-ec2]
        role_arn = \(readerRole)
        credential_source = Ec2InstanceMetadata

        [profile from-environment]
        role_arn = \(watcherRole)
        credential_source = Environment
        external_id = fleet-7

        [profile loop-a]
        role_arn = \(readerRole)
        source_profile = loop-b

        [profile loop-b]
        role_arn = \(readerRole)
        source_profile = loop-a

        [profile mfa]
        role_arn = \(readerRole)
        source_profile = base
        mfa_serial = arn:aws:iam::123456789012:mfa/ops

        [profile wrong-external-id]
        role_arn = \(watcherRole)
        source_profile = base
        external_id = not-it

        [profile both-sources]
        role_arn = \(readerRole)
        source_profile = base
        credential_source = Environment

        """

    /// A simulator whose STS knows three roles, the profiles above, and an environment pointing
    /// STS and Cognito Sync at the simulator (`AWS_ENDPOINT_URL`), as a user would.
    final class Rig {
        let server: SimulatorServer
        let directory: ScratchDirectory
        var environment: [String: String]
        let transport = HTTPTransport(settings: TestTLS.network)

        init() async throws {
            // The instance metadata service of these tests hands out AKIDIMDS.
            let instanceRole = ScenarioCredential(accessKeyID: "AKIDIMDS", secretAccessKey: "secretImds", sessionToken: "tokenImds")
            let scenario = Scenario(
                credentials: [.demo, instanceRole],
                pools: [ScenarioPool(id: try IdentityPoolID(validating: AssumeRoleTests.pool), timeline: [TimelineEntry(at: 0, status: .notStarted)])],
                roles: [
                    ScenarioRole(arn: AssumeRoleTests.watcherRole, externalID: "fleet-7"),
                    ScenarioRole(arn: AssumeRoleTests.readerRole),
                    ScenarioRole(arn: AssumeRoleTests.podRole, webIdentityToken: "pod-token-1"),
                ])
            let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            server = try await SimulatorServer.start(
                simulator: Simulator(scenario: scenario, clock: ManualClock(start: Date()), logger: quiet), tls: TestTLS.server, logger: quiet)
            directory = try ScratchDirectory()
            environment = [
                "AWS_CONFIG_FILE": try directory.write(AssumeRoleTests.config, to: "config"),
                "AWS_SHARED_CREDENTIALS_FILE": directory.file("no-credentials"),
                "AWS_ENDPOINT_URL": server.endpoint,
                "AWS_EC2_METADATA_DISABLED": "true",
            ]
        }

        func resolve(profile: String?) async throws -> ResolvedCredentials {
            try await CredentialChain(environment: environment, transport: transport, profile: profile).resolve()
        }

        /// The STS calls the simulator answered: action, status, the key that signed.
        var stsCalls: [String] {
            server.simulator.requestLog.recent.filter { $0.path == "/" }.map { "\($0.operation ?? "?") \($0.status ?? 0) \($0.accessKeyId ?? "unsigned")" }
        }

        /// A Cognito Sync call made with `credentials`.
        func poll(with credentials: AWSCredentials) async throws -> BulkPublishDetails {
            let client = CognitoSyncClient(
                transport: transport, credentials: FixedCredentials(credentials),
                configuration: CognitoSyncClientConfiguration(endpoint: EndpointSettings(endpointURL: server.endpoint), environment: [:]))
            let pool = try IdentityPoolID(validating: AssumeRoleTests.pool)
            return try await client.bulkPublishDetails(for: pool, region: pool.region)
        }

        func shutdown() async {
            await transport.shutdown()
            try? await server.shutdown()
        }

        /// Runs `body` with a fresh rig and always shuts it down.
        static func run(_ body: (Rig) async throws -> Void) async throws {
            let rig = try await Rig()
            let outcome: Result<Void, any Error>
            do {
                try await body(rig)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            await rig.shutdown()
            try outcome.get()
        }
    }

    struct FixedCredentials: CredentialProvider {
        let value: AWSCredentials
        init(_ value: AWSCredentials) { self.value = value }
        var sourceName: String { "test" }
        func credentials() async throws -> AWSCredentials { value }
    }

    @Test func aRoleFromASourceProfilesKeysWorksAgainstTheService() async throws {
        try await Rig.run { rig in
            let resolved = try await rig.resolve(profile: "watcher")
            #expect(resolved.sourceName == "assume-role profile (profile watcher)")
            #expect(resolved.credentials.accessKeyID.hasPrefix("ASIA"))
            #expect(resolved.credentials.sessionToken != nil)
            let expiration = try #require(resolved.credentials.expiration)
            #expect(abs(expiration.timeIntervalSinceNow - 1800) < 60, "duration_seconds went to STS")
            #expect(rig.stsCalls == ["AssumeRole 200 \(ScenarioCredential.demo.accessKeyID)"])
            #expect(try await rig.poll(with: resolved.credentials).status == .notStarted, "the service accepts the role's credentials")
        }
    }

    @Test func rolesChainThroughSourceProfiles() async throws {
        try await Rig.run { rig in
            let resolved = try await rig.resolve(profile: "chained")
            let calls = rig.stsCalls
            #expect(calls.count == 2, "\(calls)")
            #expect(calls.first == "AssumeRole 200 \(ScenarioCredential.demo.accessKeyID)")
            #expect(calls.last?.hasPrefix("AssumeRole 200 ASIA") == true, "the second role is assumed with the first's credentials: \(calls)")
            #expect(try await rig.poll(with: resolved.credentials).status == .notStarted)
        }
    }

    @Test func credentialSourceEnvironmentSignsWithTheEnvironmentsKeys() async throws {
        try await Rig.run { rig in
            rig.environment["AWS_ACCESS_KEY_ID"] = ScenarioCredential.demo.accessKeyID
            rig.environment["AWS_SECRET_ACCESS_KEY"] = ScenarioCredential.demo.secretAccessKey
            let resolved = try await rig.resolve(profile: "from-environment")
            #expect(resolved.credentials.accessKeyID.hasPrefix("ASIA"))
            #expect(rig.stsCalls == ["AssumeRole 200 \(ScenarioCredential.demo.accessKeyID)"])
        }
    }

    static let refusals = [
        ("loop-a", "the source profiles go round in a loop (loop-a -> loop-b -> loop-a)"),
        ("mfa", "profile mfa sets mfa_serial: assuming \(readerRole) needs an MFA code, which the watcher cannot ask for"),
        ("both-sources", "profile both-sources sets both source_profile and credential_source; keep one"),
        ("wrong-external-id", "STS refused AssumeRole of \(watcherRole): AccessDenied"),
    ]

    /// `credential_source = Ec2InstanceMetadata`: the instance's role assumes the profile's.
    @Test func aRoleAssumedWithTheInstancesRole() async throws {
        let metadata = try await InstanceMetadataCredentialProviderTests.metadataService()
        try await Rig.run { rig in
            rig.environment["AWS_EC2_METADATA_DISABLED"] = nil
            rig.environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.baseURL
            rig.environment["AWS_METADATA_SERVICE_TIMEOUT"] = "5"
            let resolved = try await rig.resolve(profile: "on-ec2")
            #expect(resolved.credentials.accessKeyID.hasPrefix("ASIA"))
            #expect(rig.stsCalls == ["AssumeRole 200 AKIDIMDS"])
            #expect(try await rig.poll(with: resolved.credentials).status == .notStarted)
        }
        try await metadata.shutdown()
        #expect(metadata.requests.map(\.method) == [.PUT, .GET, .GET])
    }

    @Test(arguments: refusals)
    func setUpsThatCannotWorkSayWhy(profile: String, message: String) async throws {
        try await Rig.run { rig in
            do {
                _ = try await rig.resolve(profile: profile)
                Issue.record("profile \(profile) resolved")
            } catch let error as CredentialError {
                #expect(error.message.contains(message), "\(error)")
                #expect(error.source == "assume-role profile (profile \(profile))")
                #expect(!error.mayRecoverByItself, "a set-up fault is not retried as a passing one")
            }
        }
    }

    /// Web identity from the environment: the token file is read again on every call, so a
    /// token rotated by whatever writes it is the one used.
    @Test func webIdentityReadsTheTokenFileEachTime() async throws {
        try await Rig.run { rig in
            let token = try rig.directory.write("pod-token-1\n", to: "token")
            rig.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = token
            rig.environment["AWS_ROLE_ARN"] = Self.podRole
            rig.environment["AWS_ROLE_SESSION_NAME"] = "pod-7"
            let resolved = try await rig.resolve(profile: nil)
            #expect(resolved.sourceName == "web identity (profile default)")
            #expect(rig.stsCalls == ["AssumeRoleWithWebIdentity 200 unsigned"])
            #expect(try await rig.poll(with: resolved.credentials).status == .notStarted)

            try Data("pod-token-2".utf8).write(to: URL(fileURLWithPath: token))
            do {
                _ = try await resolved.provider.credentials()
                Issue.record("a token the role does not accept was accepted")
            } catch let error as CredentialError {
                #expect(error.message.contains("STS refused AssumeRoleWithWebIdentity of \(Self.podRole): InvalidIdentityToken"), "\(error)")
            }
            #expect(rig.stsCalls.count == 2)
        }
    }

    /// The message when the token file is not there yet names the file and the variable; it may
    /// appear by itself, so it counts as a passing failure.
    @Test func aMissingTokenFileIsNamed() async throws {
        try await Rig.run { rig in
            rig.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = rig.directory.file("not-yet")
            rig.environment["AWS_ROLE_ARN"] = Self.podRole
            do {
                _ = try await rig.resolve(profile: nil)
                Issue.record("resolved without a token")
            } catch let error as CredentialError {
                #expect(error.message == "the web identity token file \(rig.directory.file("not-yet")) (from AWS_WEB_IDENTITY_TOKEN_FILE) does not exist")
                #expect(error.mayRecoverByItself)
            }
        }
    }

    // MARK: - IAM Identity Center

    /// A profile set up by `aws configure sso`, and the token `aws sso login` would cache.
    /// - Parameter registration: the refresh token the CLI caches with its client registration
    ///   (nil: none cached), and how long the registration has left.
    @discardableResult
    static func ssoLogin(
        _ rig: Rig, expiresIn seconds: TimeInterval, legacy: Bool = false, registration: (refreshToken: String, expiresIn: TimeInterval)? = nil
    ) throws -> String {
        let home = rig.directory.file("home")
        rig.environment["HOME"] = home
        try Data((Self.config + (legacy ? """
            [profile sso]
            sso_start_url = https://example.awsapps.com/start
            sso_region = us-east-1
            sso_account_id = 123456789012
            sso_role_name = WatcherReadOnly

            """ : """
            [profile sso]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = WatcherReadOnly
            [sso-session corp]
            sso_start_url = https://example.awsapps.com/start
            sso_region = us-east-1

            """)).utf8).write(to: URL(fileURLWithPath: rig.environment["AWS_CONFIG_FILE"] ?? ""))
        let key = legacy ? "https://example.awsapps.com/start" : "corp"
        let name = Insecure.SHA1.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
        let expiry = Date().addingTimeInterval(seconds).formatted(.iso8601)
        var cache: [String: Any] = ["accessToken": "sso-access-token", "expiresAt": expiry, "region": "us-east-1", "startUrl": "https://example.awsapps.com/start"]
        if let registration {
            cache["clientId"] = "client-id-from-register-client"
            cache["clientSecret"] = "client-secret-from-register-client"
            cache["refreshToken"] = registration.refreshToken
            cache["registrationExpiresAt"] = Date().addingTimeInterval(registration.expiresIn).formatted(.iso8601)
        }
        return try rig.directory.write(String(decoding: JSONSerialization.data(withJSONObject: cache), as: UTF8.self), to: "home/.aws/sso/cache/\(name).json")
    }

    /// The OIDC calls the simulator answered.
    static func createTokenCalls(_ rig: Rig) -> [String] {
        rig.server.simulator.requestLog.recent.filter { $0.path == "/token" }.map { "\($0.operation ?? "?") \($0.status ?? 0)\($0.errorCode.map { " \($0)" } ?? "")" }
    }

    static func cache(_ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// A login that expires within 15 minutes, or has expired, is refreshed with the cached
    /// registration as botocore refreshes it: the new token is written back in the CLI's format
    /// (so the CLI sees it too), the rotated refresh token with it, readable by the owner only;
    /// the next call uses it without another refresh.
    @Test(arguments: [300.0, -60.0])
    func aLoginThatExpiresSoonIsRefreshedAndWrittenBack(expiresIn: TimeInterval) async throws {
        try await Rig.run { rig in
            let path = try Self.ssoLogin(rig, expiresIn: expiresIn, registration: ("refresh-1", 86_400 * 30))
            let resolved = try await rig.resolve(profile: "sso")
            #expect(try await rig.poll(with: resolved.credentials).status == .notStarted)
            #expect(Self.createTokenCalls(rig) == ["CreateToken 200"])
            let cache = try Self.cache(path)
            let token = try #require(cache["accessToken"] as? String)
            #expect(token.hasPrefix("aoa"), "the simulator's new token")
            #expect((cache["refreshToken"] as? String)?.hasPrefix("aor") == true, "the rotated refresh token")
            #expect(cache["clientId"] as? String == "client-id-from-register-client")
            let expiresAt = try #require(cache["expiresAt"] as? String)
            #expect(expiresAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(expiresAt)")
            let expires = try #require(ISO8601Timestamp.parse(expiresAt))
            #expect(abs(expires.timeIntervalSinceNow - 28_800) < 60)
            let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode & 0o777 == 0o600)

            _ = try await rig.resolve(profile: "sso")
            #expect(Self.createTokenCalls(rig).count == 1, "a fresh token is not refreshed again")

            // botocore reads the file as written and takes the same token.
            let environment = ["HOME": rig.environment["HOME"] ?? "", "AWS_CONFIG_FILE": rig.environment["AWS_CONFIG_FILE"] ?? ""]
            let botocore = try await BotocoreOracle.runPerCase(
                script: "botocore_network.py", input: [["kind": "ssoToken", "environment": environment, "profile": "sso"]]
            ) { ($0["token"] as? String) ?? ($0["error"] as? String ?? "?") }.get()
            #expect(botocore == [token])
        }
    }

    /// A refresh the service refuses: a login still valid is used as it is (and the cache left
    /// alone); one that has expired says it could not be refreshed and to log in again. So does
    /// one whose client registration has expired, without asking the service.
    @Test func aRefusedRefreshFallsBackToTheLoginOrSaysToLogIn() async throws {
        try await Rig.run { rig in
            let path = try Self.ssoLogin(rig, expiresIn: 300, registration: ("revoked-1", 86_400))
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            _ = try await rig.resolve(profile: "sso")
            #expect(Self.createTokenCalls(rig) == ["CreateToken 400 InvalidGrantException"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

            try Self.ssoLogin(rig, expiresIn: -60, registration: ("revoked-1", 86_400))
            do {
                _ = try await rig.resolve(profile: "sso")
                Issue.record("an expired login was used")
            } catch let error as CredentialError {
                #expect(error.message.contains(
                    "and could not be refreshed (IAM Identity Center refused CreateToken: InvalidGrantException); run `aws sso login --profile sso`"), "\(error)")
            }

            try Self.ssoLogin(rig, expiresIn: -60, registration: ("refresh-2", -3600))
            do {
                _ = try await rig.resolve(profile: "sso")
                Issue.record("an expired login was used")
            } catch let error as CredentialError {
                #expect(error.message.contains("could not be refreshed (the client registration expired at"), "\(error)")
            }
            #expect(Self.createTokenCalls(rig).count == 2, "no call with an expired registration")
        }
    }

    /// The legacy form (start URL in the profile) has no refresh, as in botocore.
    @Test func theLegacyFormIsNotRefreshed() async throws {
        try await Rig.run { rig in
            try Self.ssoLogin(rig, expiresIn: 300, legacy: true, registration: ("refresh-1", 86_400))
            _ = try await rig.resolve(profile: "sso")
            #expect(Self.createTokenCalls(rig).isEmpty)
        }
    }

    @Test(arguments: [false, true])
    func aCachedSSOLoginGivesTheRolesCredentials(legacy: Bool) async throws {
        try await Rig.run { rig in
            try Self.ssoLogin(rig, expiresIn: 3600, legacy: legacy)
            let resolved = try await rig.resolve(profile: "sso")
            #expect(resolved.sourceName == "IAM Identity Center / SSO (profile sso)")
            #expect(resolved.credentials.accessKeyID.hasPrefix("ASIA"))
            #expect(try await rig.poll(with: resolved.credentials).status == .notStarted)
        }
    }

    @Test func anExpiredOrMissingSSOLoginSaysToLogIn() async throws {
        try await Rig.run { rig in
            try Self.ssoLogin(rig, expiresIn: -60)
            do {
                _ = try await rig.resolve(profile: "sso")
                Issue.record("an expired login was used")
            } catch let error as CredentialError {
                #expect(error.message.contains("the SSO login of session corp expired at"), "\(error)")
                #expect(error.message.hasSuffix("run `aws sso login --profile sso`"), "\(error)")
            }
            try FileManager.default.removeItem(atPath: rig.directory.file("home/.aws/sso"))
            do {
                _ = try await rig.resolve(profile: "sso")
                Issue.record("resolved without a login")
            } catch let error as CredentialError {
                #expect(error.message.contains("no SSO login for session corp"), "\(error)")
                #expect(error.message.hasSuffix("run `aws sso login --profile sso`"), "\(error)")
            }
        }
    }
}
