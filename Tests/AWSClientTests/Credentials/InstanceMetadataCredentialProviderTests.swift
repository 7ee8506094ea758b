import AsyncHTTPClient
import Foundation
import NIOHTTP1
import NetworkTestSupport
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import ProcessSupport

struct InstanceMetadataCredentialProviderTests {
    static let role = "watcher-role"
    static let document = """
        {"Code": "Success", "LastUpdated": "2029-12-31T00:00:00Z", "Type": "AWS-HMAC",
         "AccessKeyId": "AKIDIMDS", "SecretAccessKey": "secretImds", "Token": "tokenImds",
         "Expiration": "2030-01-02T03:04:05Z"}
        """
    static let clock = HandAdvancedClock(Date(timeIntervalSince1970: 1_893_500_000))
    /// A time limit per request that a machine busy with the rest of the suite still meets; the
    /// default second is for the tests of what a timeout does.
    static let patient = ["AWS_METADATA_SERVICE_TIMEOUT": "5"]

    /// An instance metadata service: `tokenReply` for the token PUT, the role and its document for GETs.
    static func metadataService(
        tokenReply: LoopbackHTTPServer.Reply = .ok("imds-session-token"),
        document: String = InstanceMetadataCredentialProviderTests.document
    ) async throws -> LoopbackHTTPServer {
        try await LoopbackHTTPServer { request in
            switch (request.method, request.uri) {
            case (.PUT, "/latest/api/token"): tokenReply
            case (.GET, "/latest/meta-data/iam/security-credentials/"): .ok(role)
            case (.GET, "/latest/meta-data/iam/security-credentials/\(role)"): .ok(document)
            default: .status(.notFound)
            }
        }
    }

    @Test func followsTheIMDSv2TokenFlow() async throws {
        let server = try await Self.metadataService()
        let provider = InstanceMetadataCredentialProvider(
            environment: Self.patient, transport: .shared, endpoint: server.baseURL, now: { Self.clock.now })
        let credentials = try await provider.credentials()
        try await server.shutdown()
        #expect(credentials == AWSCredentials(
            accessKeyID: "AKIDIMDS", secretAccessKey: "secretImds", sessionToken: "tokenImds",
            expiration: Date(timeIntervalSince1970: 1_893_553_445)))
        let requests = server.requests
        #expect(requests.map(\.description) == [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/watcher-role",
        ])
        #expect(requests[0].headers["x-aws-ec2-metadata-token-ttl-seconds"] == ["21600"])
        #expect(requests[0].headers["x-aws-ec2-metadata-token"] == [])
        #expect(requests[1].headers["x-aws-ec2-metadata-token"] == ["imds-session-token"])
        #expect(requests[2].headers["x-aws-ec2-metadata-token"] == ["imds-session-token"])
    }

    @Test func endpointComesFromTheEnvironment() async throws {
        let server = try await Self.metadataService()
        let provider = InstanceMetadataCredentialProvider(
            environment: Self.patient.merging(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL + "/"]) { $1 }, transport: .shared,
            now: { Self.clock.now })
        #expect(try await provider.credentials().accessKeyID == "AKIDIMDS")
        try await server.shutdown()
        #expect(server.requests.count == 3)
    }

    @Test(arguments: [HTTPResponseStatus.forbidden, .notFound, .methodNotAllowed])
    func refusedTokenFallsBackToIMDSv1(_ status: HTTPResponseStatus) async throws {
        let server = try await Self.metadataService(tokenReply: .status(status))
        let provider = InstanceMetadataCredentialProvider(
            environment: Self.patient, transport: .shared, endpoint: server.baseURL, now: { Self.clock.now })
        #expect(try await provider.credentials().accessKeyID == "AKIDIMDS")
        try await server.shutdown()
        #expect(server.requests.count == 3)
        #expect(server.requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"].isEmpty })
    }

    @Test func tokenTimeoutFallsBackToIMDSv1() async throws {
        let server = try await Self.metadataService(tokenReply: .hang)
        let provider = InstanceMetadataCredentialProvider(
            environment: Self.patient, transport: .shared, endpoint: server.baseURL, now: { Self.clock.now })
        #expect(try await provider.credentials().accessKeyID == "AKIDIMDS")
        try await server.shutdown()
        #expect(server.requests.map(\.method) == [.PUT, .GET, .GET])
    }

    @Test func withIMDSv1DisabledARefusedTokenIsAnError() async throws {
        let server = try await Self.metadataService(tokenReply: .status(.forbidden))
        let provider = InstanceMetadataCredentialProvider(
            environment: Self.patient.merging(["AWS_EC2_METADATA_V1_DISABLED": "True"]) { $1 }, transport: .shared,
            endpoint: server.baseURL)
        let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        try await server.shutdown()
        #expect(error?.code == .requestFailed)
        #expect(server.requests.count == 1)
    }

    @Test func imdsV1CanBeDisabledInTheProfileAsInBotocore() async throws {
        let directory = try ScratchDirectory()
        let config = try directory.write("[profile fleet]\nec2_metadata_v1_disabled = true\n", to: "config")
        let server = try await Self.metadataService(tokenReply: .status(.forbidden))
        let provider = InstanceMetadataCredentialProvider(
            environment: Self.patient, transport: .shared, endpoint: server.baseURL, profile: "fleet",
            locations: SharedFileLocations(environment: ["AWS_CONFIG_FILE": config, "HOME": directory.path]),
            now: { Date() })
        let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        try await server.shutdown()
        #expect(error?.code == .requestFailed)
        #expect(server.requests.count == 1, "no IMDSv1 request after the refused token")
    }

    @Test func theEnvironmentWinsOverTheProfile() throws {
        let directory = try ScratchDirectory()
        let config = try directory.write("[default]\nmetadata_service_timeout = 7\nmetadata_service_num_attempts = 4\n", to: "config")
        let locations = SharedFileLocations(environment: ["AWS_CONFIG_FILE": config, "HOME": directory.path])
        let fromProfile = try InstanceMetadataCredentialProvider(
            environment: [:], transport: .shared, endpoint: nil, profile: "default", locations: locations, now: { Date() }
        ).settings()
        #expect(fromProfile.timeout == .seconds(7))
        #expect(fromProfile.attempts == 4)
        let fromEnvironment = try InstanceMetadataCredentialProvider(
            environment: ["AWS_METADATA_SERVICE_TIMEOUT": "2"], transport: .shared, endpoint: nil, profile: "default",
            locations: locations, now: { Date() }
        ).settings()
        #expect(fromEnvironment.timeout == .seconds(2))
        #expect(fromEnvironment.attempts == 4)
    }

    @Test func disabledByEnvironmentMakesNoRequest() async throws {
        let server = try await Self.metadataService()
        await expectNotConfigured(InstanceMetadataCredentialProvider(
            environment: ["AWS_EC2_METADATA_DISABLED": "TRUE"], transport: .shared, endpoint: server.baseURL))
        try await server.shutdown()
        #expect(server.requests.isEmpty)
    }

    @Test func instanceWithoutRoleIsNotConfigured() async throws {
        let server = try await LoopbackHTTPServer { request in
            request.method == .PUT ? .ok("t") : .status(.notFound)
        }
        await expectNotConfigured(InstanceMetadataCredentialProvider(
            environment: Self.patient, transport: .shared, endpoint: server.baseURL))
        try await server.shutdown()
        #expect(server.requests.count == 2)
    }

    @Test func unreachableServiceIsNotConfigured() async throws {
        let server = try await LoopbackHTTPServer { _ in .ok("") }
        let closedPort = server.baseURL
        try await server.shutdown()
        await expectNotConfigured(InstanceMetadataCredentialProvider(environment: [:], transport: .shared, endpoint: closedPort))
    }

    @Test func roleThatDoesNotTrustEC2IsNotConfigured() async throws {
        let server = try await Self.metadataService(
            document: #"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "EC2 cannot assume the role", "LastUpdated": "x"}"#)
        let provider = InstanceMetadataCredentialProvider(environment: Self.patient, transport: .shared, endpoint: server.baseURL)
        let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        try await server.shutdown()
        #expect(error?.code == .notConfigured)
        #expect(error?.message == "the credentials of role watcher-role are incomplete (Code AssumeRoleUnauthorizedAccess)")
    }

    @Test func numberOfAttemptsComesFromTheEnvironment() async throws {
        let server = try await LoopbackHTTPServer { request in
            request.method == .PUT ? .ok("t") : .status(.internalServerError)
        }
        await expectNotConfigured(InstanceMetadataCredentialProvider(
            environment: Self.patient.merging(["AWS_METADATA_SERVICE_NUM_ATTEMPTS": "3"]) { $1 }, transport: .shared,
            endpoint: server.baseURL))
        try await server.shutdown()
        #expect(server.requests.map(\.method) == [.PUT, .GET, .GET, .GET])
    }

    @Test func nearlyExpiredCredentialsAreStretchedAsInBotocore() async throws {
        let server = try await Self.metadataService()
        // Five minutes before the document's expiry: inside botocore's 15-minute window.
        let now = Date(timeIntervalSince1970: 1_893_553_445 - 300)
        let provider = InstanceMetadataCredentialProvider(environment: Self.patient, transport: .shared, endpoint: server.baseURL, now: { now })
        let expiration = try #require(try await provider.credentials().expiration)
        try await server.shutdown()
        let stretch = expiration.timeIntervalSince(now)
        #expect(stretch >= 15 * 60 + 120 && stretch <= 15 * 60 + 600)
    }

    @Test(arguments: [
        ([String: String](), "http://169.254.169.254/"),
        (["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], "http://[fd00:ec2::254]/"),
        (["AWS_IMDS_USE_IPV6": "true"], "http://[fd00:ec2::254]/"),
        (["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://10.0.0.1:81", "AWS_IMDS_USE_IPV6": "true"], "http://10.0.0.1:81"),
    ])
    func endpointSelection(_ environment: [String: String], _ endpoint: String) throws {
        #expect(try InstanceMetadataCredentialProvider(environment: environment, transport: .shared).settings().endpoint == endpoint)
    }

    @Test(arguments: [
        ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv5"],
        ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "not a url"],
        ["AWS_METADATA_SERVICE_TIMEOUT": "1.5"],
        ["AWS_METADATA_SERVICE_NUM_ATTEMPTS": "many"],
    ])
    func invalidSettingsAreErrors(_ environment: [String: String]) {
        #expect(throws: CredentialError.self) {
            try InstanceMetadataCredentialProvider(environment: environment, transport: .shared).settings()
        }
    }

    @Test(arguments: [("watcher-role", true), ("a+b=c,d.e@f_g-1", true), (String(repeating: "r", count: 64), true),
                      (String(repeating: "r", count: 65), false), ("", false), ("role/../x", false), ("{\"json\": 1}", false),
                      ("r\u{00E9}le", false)])
    func roleNamesFollowIAMsPattern(_ name: String, _ valid: Bool) {
        #expect(InstanceMetadataCredentialProvider.isRoleName(name) == valid)
    }
}
