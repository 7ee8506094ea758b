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

/// Every failure path fed with real-looking secrets: none may echo them.
struct SecretRedactionTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN"

    private func expectRedacted(_ value: Any, sourceLocation: SourceLocation = #_sourceLocation) {
        var renderings = [String(describing: value), String(reflecting: value)]
        if let error = value as? any Error {
            renderings.append(error.localizedDescription)
        }
        for text in renderings {
            #expect(!text.contains(Self.secret), "secret in \(text)", sourceLocation: sourceLocation)
            #expect(!text.contains(Self.token), "token in \(text)", sourceLocation: sourceLocation)
            #expect(!text.contains("wJalrXUtnFEMI"), "part of the secret in \(text)", sourceLocation: sourceLocation)
        }
    }

    private func failure(_ body: () async throws -> Any) async -> (any Error)? {
        do {
            _ = try await body()
            Issue.record("expected a failure")
            return nil
        } catch {
            return error
        }
    }

    @Test func valuesHoldingCredentialsDoNotPrintThem() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        expectRedacted(credentials)
        expectRedacted(ResolvedCredentials(credentials: credentials, provider: EnvironmentCredentialProvider(environment: [:])))
        expectRedacted(Optional(credentials) as Any)
    }

    @Test func fileErrorsDoNotQuoteTheFile() async throws {
        let directory = try ScratchDirectory()
        for (index, text) in [
            "aws_secret_access_key = \(Self.secret)\n[default]\n",
            "[default]\n\(Self.secret)\n",
            "[default]\naws_access_key_id = AKID\naws_session_token = \(Self.token)\n",
            "[default]\naws_secret_access_key = \(Self.secret)\naws_secret_access_key = \(Self.secret)\n",
            "[default]\naws_access_key_id =\n  \(Self.secret)\n",
        ].enumerated() {
            let path = try directory.write(text, to: "credentials-\(index)")
            let error = await failure {
                try await SharedFileCredentialProvider(.credentials, profile: "default", path: path).credentials()
            }
            expectRedacted(try #require(error))
            let systemd = try directory.write(text, to: "systemd-\(index)/aws-credentials")
            let systemdError = await failure {
                try await SystemdCredentialProvider(
                    profile: "default", environment: ["CREDENTIALS_DIRECTORY": (systemd as NSString).deletingLastPathComponent]
                ).credentials()
            }
            expectRedacted(try #require(systemdError))
        }
    }

    @Test func environmentErrorsDoNotQuoteValues() async throws {
        let error = await failure {
            try await EnvironmentCredentialProvider(environment: [
                "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
                "AWS_CREDENTIAL_EXPIRATION": Self.token,
            ]).credentials()
        }
        expectRedacted(try #require(error))
    }

    @Test func processErrorsDoNotQuoteStdout() async throws {
        let directory = try ScratchDirectory()
        let outputs = [
            "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"\(Self.secret)\", \"SessionToken\": \"\(Self.token)\"}",
            "{\"Version\": 1, \"SecretAccessKey\": \"\(Self.secret)\", \"SessionToken\": \"\(Self.token)\"}",
            "{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"\(Self.secret)\", \"Expiration\": \"\(Self.token)\"}",
            "{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"\(Self.secret)\", \"SessionToken\": 5}",
            "\(Self.secret) \(Self.token)",
        ]
        for (index, output) in outputs.enumerated() {
            let file = try directory.write(output, to: "output-\(index).json")
            let script = try directory.script("helper-\(index)", "cat '\(file)'")
            let error = await failure { try await ProcessCredentialProvider(command: script, environment: [:]).credentials() }
            expectRedacted(try #require(error))
        }
        let failing = try directory.script("failing", "cat '\(directory.write(Self.secret, to: "out"))'; exit 1")
        expectRedacted(try #require(await failure { try await ProcessCredentialProvider(command: failing, environment: [:]).credentials() }))
    }

    @Test func processErrorsQuoteStderrWithoutKeys() async throws {
        let directory = try ScratchDirectory()
        let json = "{\"Version\": 1, \"AccessKeyId\": \"AKIDEXAMPLE\", \"SecretAccessKey\": \"\(Self.secret)\", \"SessionToken\": \"\(Self.token)\"}"
        // A helper that echoes its answer to stderr and then fails, as `set -x` would show it.
        let echoing = try directory.script("echoing", "echo '+ printf \(json)' >&2; echo 'SSO session expired; run aws sso login' >&2; exit 1")
        let error = try #require(await failure { try await ProcessCredentialProvider(command: echoing, environment: [:]).credentials() })
        expectRedacted(error)
        #expect(String(describing: error).contains("SSO session expired; run aws sso login"), "\(error)")
        #expect(String(describing: error).contains("[redacted]"), "\(error)")

        // A key cut in two by the quote's limit: its first part is not shown either.
        let padding = String(repeating: "x ", count: 500)
        let cut = try directory.script("cut", "printf '%s%s' '\(padding)' '\(Self.secret)' >&2; exit 1")
        expectRedacted(try #require(await failure { try await ProcessCredentialProvider(command: cut, environment: [:]).credentials() }))
    }

    @Test func containerErrorsDoNotShowTheURLsUserOrQuery() async throws {
        let url = "http://user:\(Self.secret)@127.0.0.1:9/creds?token=\(Self.token)"
        let error = try #require(await failure {
            try await ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url], transport: .shared, retryDelay: .zero
            ).credentials()
        })
        expectRedacted(error)
        #expect(String(describing: error).contains("http://***@127.0.0.1:9/creds?…"), "\(error)")
    }

    @Test(arguments: [
        ("key \(secret) and token \(token).", "key [redacted] and token [redacted]."),
        ("/usr/local/lib/cognitosyncwatcher/alertonfailedscript", "/usr/local/lib/cognitosyncwatcher/alertonfailedscript"),
        ("arn:aws:iam::123456789012:role/MyRole", "arn:aws:iam::123456789012:role/MyRole"),
        ("Unable to locate credentials. You can configure credentials by running aws configure.",
         "Unable to locate credentials. You can configure credentials by running aws configure."),
    ])
    func keyShapedRunsAreRedacted(_ text: String, _ expected: String) {
        #expect(SecretLikeText.redactingKeys(text) == expected)
    }

    @Test func aCutTextLosesItsLastRun() {
        #expect(SecretLikeText.redactingKeys("error: wJalrXUtnF", wasCut: true) == "error: [redacted]")
        #expect(SecretLikeText.redactingKeys("error: wJalrXUtnF", wasCut: false) == "error: wJalrXUtnF")
    }

    @Test func endpointErrorsDoNotQuoteResponses() async throws {
        let leaky = "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"\(Self.secret)\", \"Token\": \"\(Self.token)\"}"
        let server = try await LoopbackHTTPServer { request in
            request.uri == "/error" ? .respond(status: .forbidden, body: leaky) : .ok(leaky)
        }
        for uri in ["/error", "/incomplete"] {
            let error = await failure {
                try await ContainerCredentialProvider(
                    environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": uri, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "\(Self.token)\n"],
                    transport: .shared, baseURL: server.baseURL, retryDelay: .zero
                ).credentials()
            }
            expectRedacted(try #require(error))
            let tokenless = await failure {
                try await ContainerCredentialProvider(
                    environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": uri], transport: .shared,
                    baseURL: server.baseURL, retryDelay: .zero
                ).credentials()
            }
            expectRedacted(try #require(tokenless))
        }
        let metadata = await failure {
            try await InstanceMetadataCredentialProvider(environment: [:], transport: .shared, endpoint: server.baseURL).credentials()
        }
        expectRedacted(try #require(metadata))
        try await server.shutdown()
    }

    @Test func chainErrorsDoNotQuoteSecrets() async throws {
        let directory = try ScratchDirectory()
        try directory.write("[other]\naws_secret_access_key = \(Self.secret)\n", to: "credentials.d/aws-credentials")
        let error = await failure {
            try await CredentialChain(
                environment: [
                    "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
                    "CREDENTIALS_DIRECTORY": directory.file("credentials.d"), "AWS_EC2_METADATA_DISABLED": "true",
                ],
                transport: .shared
            ).resolve()
        }
        expectRedacted(try #require(error))
    }
}
