import AsyncHTTPClient
import Foundation
import NetworkTestSupport
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import ProcessSupport

struct CredentialChainTests {
    /// A machine with a home directory, a systemd credential and no metadata service.
    private final class Machine {
        let directory: ScratchDirectory
        var environment: [String: String]

        init(_ extra: [String: String] = [:]) throws {
            directory = try ScratchDirectory()
            environment = [
                "HOME": directory.file("home"),
                "PATH": "/usr/bin:/bin",
                "CREDENTIALS_DIRECTORY": directory.file("credentials.d"),
                "AWS_EC2_METADATA_DISABLED": "true",
            ].merging(extra) { $1 }
        }

        func credentialsFile(_ text: String) throws { try directory.write(text, to: "home/.aws/credentials") }
        func configFile(_ text: String) throws { try directory.write(text, to: "home/.aws/config") }
        func systemdCredential(_ text: String) throws { try directory.write(text, to: "credentials.d/aws-credentials") }

        func resolve(profile: String? = nil, options: CredentialChain.Options = .init()) async throws -> ResolvedCredentials {
            try await CredentialChain(environment: environment, transport: .shared, profile: profile, options: options).resolve()
        }
    }

    private static func keys(_ id: String) -> String {
        "aws_access_key_id = \(id)\naws_secret_access_key = secret-\(id)\n"
    }

    private static let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secret-env"]

    @Test func environmentComesFirst() async throws {
        let machine = try Machine(Self.environmentKeys)
        try machine.credentialsFile("[default]\n" + Self.keys("AKIDFILE"))
        let resolved = try await machine.resolve()
        #expect(resolved.credentials.accessKeyID == "AKIDENV")
        #expect(resolved.sourceName == "environment")
    }

    @Test func awsProfileDoesNotSkipTheEnvironmentButAnExplicitProfileDoes() async throws {
        let machine = try Machine(Self.environmentKeys.merging(["AWS_PROFILE": "prod"]) { $1 })
        try machine.credentialsFile("[prod]\n" + Self.keys("AKIDPROD"))
        #expect(try await machine.resolve().credentials.accessKeyID == "AKIDENV")
        let explicit = try await machine.resolve(profile: "prod")
        #expect(explicit.credentials.accessKeyID == "AKIDPROD")
        #expect(explicit.sourceName == "shared credentials file (profile prod)")
    }

    @Test func defaultProfileEnvironmentVariableBeatsAWSProfile() async throws {
        let machine = try Machine(["AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"])
        try machine.credentialsFile("[a]\n" + Self.keys("AKIDA") + "[b]\n" + Self.keys("AKIDB"))
        #expect(try await machine.resolve().credentials.accessKeyID == "AKIDA")
    }

    @Test func credentialsFileThenProcessThenConfigFile() async throws {
        let machine = try Machine()
        let helper = try machine.directory.script(
            "helper", #"echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "s"}'"#)
        try machine.configFile("[default]\n" + Self.keys("AKIDCONFIG") + "credential_process = \(helper)\n")
        try machine.credentialsFile("[default]\n" + Self.keys("AKIDFILE"))
        #expect(try await machine.resolve().credentials.accessKeyID == "AKIDFILE")
        try machine.credentialsFile("[other]\n")
        let process = try await machine.resolve()
        #expect(process.credentials.accessKeyID == "AKIDPROC")
        #expect(process.sourceName == "credential_process (profile default)")
        try machine.configFile("[default]\n" + Self.keys("AKIDCONFIG"))
        let config = try await machine.resolve()
        #expect(config.credentials.accessKeyID == "AKIDCONFIG")
        #expect(config.sourceName == "config file (profile default)")
    }

    @Test func systemdCredentialWhenNoProfileFileHasKeys() async throws {
        let machine = try Machine()
        try machine.systemdCredential("[default]\n" + Self.keys("AKIDSYSTEMD"))
        let resolved = try await machine.resolve()
        #expect(resolved.credentials.accessKeyID == "AKIDSYSTEMD")
        #expect(resolved.sourceName == "systemd credential aws-credentials (profile default)")
        try machine.configFile("[default]\n" + Self.keys("AKIDCONFIG"))
        #expect(try await machine.resolve().credentials.accessKeyID == "AKIDCONFIG")
    }

    @Test func aProfileDefinedOnlyInTheSystemdCredentialIsFine() async throws {
        let machine = try Machine(["AWS_PROFILE": "prod"])
        machine.environment["HOME"] = nil
        try machine.systemdCredential("[prod]\n" + Self.keys("AKIDPROD"))
        #expect(try await machine.resolve().credentials.accessKeyID == "AKIDPROD")
    }

    @Test func containerThenInstanceMetadata() async throws {
        let container = try await LoopbackHTTPServer { _ in .ok(ContainerCredentialProviderTests.document) }
        let metadata = try await InstanceMetadataCredentialProviderTests.metadataService()
        let machine = try Machine(InstanceMetadataCredentialProviderTests.patient.merging(["AWS_EC2_METADATA_DISABLED": "false"]) { $1 })
        let options = CredentialChain.Options(
            containerBaseURL: container.baseURL, instanceMetadataEndpoint: metadata.baseURL,
            now: { InstanceMetadataCredentialProviderTests.clock.now })
        let fromMetadata = try await machine.resolve(options: options)
        #expect(fromMetadata.credentials.accessKeyID == "AKIDIMDS")
        #expect(fromMetadata.sourceName == "EC2 instance metadata")
        machine.environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/creds"
        let fromContainer = try await machine.resolve(options: options)
        #expect(fromContainer.credentials.accessKeyID == "AKIDTASK")
        #expect(fromContainer.sourceName == "container endpoint")
        try await container.shutdown()
        try await metadata.shutdown()
        #expect(container.requests.count == 1)
        #expect(metadata.requests.count == 3)
    }

    @Test func nothingFoundListsWhatWasTriedAndHowToFixIt() async throws {
        let machine = try Machine()
        machine.environment["HOME"] = nil
        let error = await #expect(throws: CredentialError.self) { try await machine.resolve() }
        #expect(error?.code == .noCredentials)
        let systemdFile = machine.directory.file("credentials.d/aws-credentials")
        #expect(error?.description == "no AWS credentials found (tried "
            + "environment: AWS_ACCESS_KEY_ID is not set; "
            + "shared credentials file (profile default): no HOME and no AWS_SHARED_CREDENTIALS_FILE, so no file to read; "
            + "credential_process (profile default): no credential_process in profile default; "
            + "config file (profile default): no HOME and no AWS_CONFIG_FILE, so no file to read; "
            + "systemd credential aws-credentials (profile default): \(systemdFile) does not exist; "
            + "container endpoint: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set; "
            + "EC2 instance metadata: AWS_EC2_METADATA_DISABLED is true). To fix, do one of: set AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY (e.g. with EnvironmentFile= in the unit); add "
            + "LoadCredential=aws-credentials:/path/to/credentials to the unit, the file holding a [default] section with "
            + "aws_access_key_id and aws_secret_access_key; put that section in ~/.aws/credentials (needs HOME, e.g. "
            + "User= in the unit); or run where an instance or task role is available")
    }

    @Test func namedProfileThatExistsNowhereIsAnErrorNamingTheFiles() async throws {
        let machine = try Machine(Self.environmentKeys.merging(["AWS_PROFILE": "prod"]) { $1 })
        try machine.credentialsFile("[default]\n" + Self.keys("AKIDFILE"))
        let home = machine.directory.file("home")
        let systemdFile = machine.directory.file("credentials.d/aws-credentials")
        // botocore raises ProfileNotFound even though the environment has keys.
        let error = await #expect(throws: CredentialError.self) { try await machine.resolve() }
        #expect(error?.code == .profileNotFound)
        #expect(error?.message == "profile \"prod\" (from AWS_PROFILE) is not defined; looked in "
            + "\(home)/.aws/credentials, \(home)/.aws/config (no such file), \(systemdFile) (no such file)")
        let explicit = await #expect(throws: CredentialError.self) { try await machine.resolve(profile: "staging") }
        #expect(explicit?.message.hasPrefix("profile \"staging\" (from the configured profile) is not defined") == true)
    }

    @Test func missingDefaultProfileIsNoError() async throws {
        let machine = try Machine(Self.environmentKeys)
        #expect(try await machine.resolve().credentials.accessKeyID == "AKIDENV")
    }

    @Test func aBrokenSourceStopsTheChain() async throws {
        let machine = try Machine(["AWS_ACCESS_KEY_ID": "AKIDENV"])
        try machine.credentialsFile("[default]\n" + Self.keys("AKIDFILE"))
        let error = await #expect(throws: CredentialError.self) { try await machine.resolve() }
        #expect(error?.code == .partialCredentials)
    }

    @Test(arguments: [
        ("[profile prod]\nlogin_session = x\n", "console login session (profile prod)"),
    ])
    func sourcesThisClientLacksAreErrorsNotSilentFallbacks(_ config: String, _ source: String) async throws {
        let machine = try Machine()
        try machine.configFile(config)
        try machine.systemdCredential("[prod]\n" + Self.keys("AKIDSYSTEMD"))
        let error = await #expect(throws: CredentialError.self) { try await machine.resolve(profile: "prod") }
        #expect(error?.code == .unsupportedConfiguration)
        #expect(error?.source == source)
    }

    @Test func webIdentityFromTheEnvironmentIsIgnoredForAnExplicitProfile() async throws {
        let machine = try Machine(["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"])
        try machine.credentialsFile("[prod]\n" + Self.keys("AKIDPROD") + "[default]\n" + Self.keys("AKIDDEFAULT"))
        let error = await #expect(throws: CredentialError.self) { try await machine.resolve() }
        #expect(error?.source == "web identity (profile default)")
        #expect(error?.message == "the web identity token file /var/run/token (from AWS_WEB_IDENTITY_TOKEN_FILE) does not exist")
        #expect(try await machine.resolve(profile: "prod").credentials.accessKeyID == "AKIDPROD")
    }

    @Test func customChainTriesItsProvidersInOrder() async throws {
        let first = ScriptedCredentialProvider("first", results: [.failure(.notConfigured("first", "nothing"))])
        let second = ScriptedCredentialProvider("second", results: [.success(AWSCredentials(accessKeyID: "AKID2", secretAccessKey: "s"))])
        let third = ScriptedCredentialProvider("third", results: [])
        let resolved = try await CredentialChain(providers: [first, second, third]).resolve()
        #expect(resolved.sourceName == "second")
        #expect(await [first.calls, second.calls, third.calls] == [1, 1, 0])
    }
}
