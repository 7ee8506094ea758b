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
import Synchronization

struct ContainerCredentialProviderTests {
    /// A time limit per attempt that a machine busy with the rest of the suite still meets (the
    /// tests count the requests made, and a retry after a slow attempt would add one).
    static let patient: Duration = .seconds(30)

    static let document = """
        {"AccessKeyId": "AKIDTASK", "SecretAccessKey": "secretTask", "Token": "tokenTask",
         "Expiration": "2030-01-02T03:04:05Z", "RoleArn": "arn:aws:iam::123456789012:role/task"}
        """

    @Test func relativeURIIsFetchedFromTheAgentAddress() async throws {
        let server = try await LoopbackHTTPServer { _ in .ok(Self.document) }
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc?x=1"],
            transport: .shared, baseURL: server.baseURL, attemptTimeout: Self.patient)
        let credentials = try await provider.credentials()
        try await server.shutdown()
        #expect(credentials == AWSCredentials(
            accessKeyID: "AKIDTASK", secretAccessKey: "secretTask", sessionToken: "tokenTask",
            expiration: Date(timeIntervalSince1970: 1_893_553_445)))
        let requests = server.requests
        #expect(requests.map(\.description) == ["GET /v2/credentials/abc?x=1"])
        #expect(requests.first?.headers["Accept"] == ["application/json"])
        #expect(requests.first?.headers["Authorization"] == [])
    }

    @Test func fullURIWithTokenFromTheEnvironment() async throws {
        let server = try await LoopbackHTTPServer { _ in .ok(Self.document) }
        let provider = ContainerCredentialProvider(
            environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic abc",
            ],
            transport: .shared, attemptTimeout: Self.patient)
        _ = try await provider.credentials()
        try await server.shutdown()
        #expect(server.requests.map(\.description) == ["GET /creds"])
        #expect(server.requests.first?.headers["Authorization"] == ["Basic abc"])
    }

    @Test func tokenFileWinsAndIsReadAgainOnEveryFetch() async throws {
        let directory = try ScratchDirectory()
        let tokenFile = try directory.write("first-token", to: "token")
        let server = try await LoopbackHTTPServer { _ in .ok(Self.document) }
        let provider = ContainerCredentialProvider(
            environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored",
            ],
            transport: .shared, attemptTimeout: Self.patient)
        _ = try await provider.credentials()
        try directory.write("rotated-token", to: "token")
        _ = try await provider.credentials()
        try await server.shutdown()
        #expect(server.requests.map { $0.headers["Authorization"] } == [["first-token"], ["rotated-token"]])
    }

    @Test func tokenWithLineBreakIsRefused() async throws {
        let directory = try ScratchDirectory()
        let tokenFile = try directory.write("token\n", to: "token")
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile],
            transport: .shared, attemptTimeout: Self.patient)
        let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func failuresAreRetriedThreeTimes() async throws {
        let server = try await LoopbackHTTPServer { request in
            .respond(status: .internalServerError, body: "{\"SecretAccessKey\": \"leaked-in-error-body\"}")
        }
        // botocore's 1 s between attempts, waited through the injected sleep (the daemon's waits
        // on its event loop's timer), so the test does not really wait.
        let waits = Mutex<[Duration]>([])
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"], transport: .shared,
            baseURL: server.baseURL, attemptTimeout: Self.patient, sleep: { duration in waits.withLock { $0.append(duration) } })
        let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        try await server.shutdown()
        #expect(server.requests.count == 3)
        #expect(waits.withLock { $0 } == [.seconds(1), .seconds(1)])
        #expect(error?.code == .requestFailed)
        #expect(error?.message == "no credentials after 3 attempts: \(server.baseURL)/creds answered HTTP 500")
    }

    @Test func aLaterAttemptCanSucceed() async throws {
        let answered = CallCounter()
        let server = try await LoopbackHTTPServer { _ in
            answered.next() == 1 ? .ok("not json") : .ok(Self.document)
        }
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"], transport: .shared,
            baseURL: server.baseURL, attemptTimeout: Self.patient, retryDelay: .zero)
        #expect(try await provider.credentials().accessKeyID == "AKIDTASK")
        try await server.shutdown()
        #expect(server.requests.count == 2)
    }

    @Test func documentWithoutTokenIsAnInvalidResponse() async throws {
        let server = try await LoopbackHTTPServer { _ in
            .ok(#"{"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2030-01-02T03:04:05Z"}"#)
        }
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"], transport: .shared, baseURL: server.baseURL, attemptTimeout: Self.patient)
        let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        try await server.shutdown()
        #expect(error?.code == .invalidResponse)
        #expect(error?.message == "the response has no Token")
    }

    @Test func withoutVariablesItIsNotConfigured() async {
        await expectNotConfigured(ContainerCredentialProvider(environment: [:], transport: .shared))
    }

    @Test(arguments: [
        "http://127.0.0.1:8080/creds", "http://127.9.9.9/x", "http://[::1]:80/x", "http://localhost/x",
        "http://169.254.170.2/x", "http://169.254.170.23/x", "http://[fd00:ec2::23]/x", "https://anything.example.com/x",
        "HTTP://LOCALHOST/x",
    ])
    func fullURIHostsBotocoreAllows(_ url: String) throws {
        let provider = ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url], transport: .shared)
        #expect(try provider.endpointURL() == url)
    }

    @Test(arguments: [
        "http://169.254.169.254/x", "http://example.com/x", "http://127.1/x", "http://[::2]/x", "http://10.0.0.1/",
        "ftp://127.0.0.1/x", "not a url",
    ])
    func fullURIHostsBotocoreRefuses(_ url: String) {
        let provider = ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url], transport: .shared)
        #expect(throws: CredentialError.self) { try provider.endpointURL() }
    }

    @Test func relativeURIWinsOverFullURI() throws {
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://localhost/full"],
            transport: .shared, attemptTimeout: Self.patient)
        #expect(try provider.endpointURL() == "http://169.254.170.2/rel")
    }
}
