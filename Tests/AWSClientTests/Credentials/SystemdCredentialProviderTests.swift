import Foundation
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import ProcessSupport

struct SystemdCredentialProviderTests {
    @Test func readsTheProfileSectionOfTheCredentialFile() async throws {
        let directory = try ScratchDirectory()
        try directory.write(ProfileFileFixtures.defaultAndProd, to: "aws-credentials")
        let environment = ["CREDENTIALS_DIRECTORY": directory.path]
        let provider = SystemdCredentialProvider(profile: "default", environment: environment)
        #expect(provider.path == directory.file("aws-credentials"))
        #expect(try await provider.credentials().accessKeyID == "AKIDDEFAULT")
        let prod = try await SystemdCredentialProvider(profile: "prod", environment: environment).credentials()
        #expect(prod == ProfileFileFixtures.prodCredentials)
        await expectNotConfigured(SystemdCredentialProvider(profile: "staging", environment: environment))
    }

    @Test func credentialNameIsConfigurable() async throws {
        let directory = try ScratchDirectory()
        try directory.write("[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n", to: "watcher-keys")
        let environment = ["CREDENTIALS_DIRECTORY": directory.path + "/"]
        #expect(try await SystemdCredentialProvider(name: "watcher-keys", profile: "default", environment: environment)
            .credentials().accessKeyID == "AKID")
        await expectNotConfigured(SystemdCredentialProvider(profile: "default", environment: environment))
    }

    @Test func withoutCredentialsDirectoryItIsNotConfigured() async {
        await expectNotConfigured(SystemdCredentialProvider(profile: "default", environment: [:]))
    }

    @Test(arguments: ["../etc/passwd", "", ".."])
    func nameMustBeAPlainFileName(_ name: String) async {
        let error = await #expect(throws: CredentialError.self) {
            try await SystemdCredentialProvider(name: name, profile: "default", environment: ["CREDENTIALS_DIRECTORY": "/run/x"])
                .credentials()
        }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func fileWithoutSectionHeaderExplainsTheLine() async throws {
        let directory = try ScratchDirectory()
        try directory.write("aws_access_key_id = AKID\n", to: "aws-credentials")
        let error = await #expect(throws: CredentialError.self) {
            try await SystemdCredentialProvider(profile: "default", environment: ["CREDENTIALS_DIRECTORY": directory.path])
                .credentials()
        }
        #expect(error?.code == .malformedFile)
        #expect(error?.message.hasSuffix("line 1: a key comes before any [section] header") == true)
    }
}
