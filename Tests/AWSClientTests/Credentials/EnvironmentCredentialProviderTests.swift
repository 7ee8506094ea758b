import Foundation
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning

struct EnvironmentCredentialProviderTests {
    @Test func readsKeysTokenAndExpiry() async throws {
        let credentials = try await EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKID",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_SESSION_TOKEN": "token",
            "AWS_CREDENTIAL_EXPIRATION": "2030-01-02T03:04:05Z",
        ]).credentials()
        #expect(credentials == AWSCredentials(
            accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "token",
            expiration: Date(timeIntervalSince1970: 1_893_553_445)))
    }

    @Test func securityTokenIsPreferredAsInBotocore() async throws {
        let credentials = try await EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_SESSION_TOKEN": "session", "AWS_SECURITY_TOKEN": "security",
        ]).credentials()
        #expect(credentials.sessionToken == "security")
        #expect(credentials.expiration == nil)
    }

    @Test(arguments: [
        [String: String](),
        ["AWS_ACCESS_KEY_ID": ""],
        ["AWS_SECRET_ACCESS_KEY": "a secret alone is ignored"],
    ])
    func absentKeyIdMeansNotConfigured(_ environment: [String: String]) async {
        await expectNotConfigured(EnvironmentCredentialProvider(environment: environment))
    }

    @Test(arguments: [["AWS_ACCESS_KEY_ID": "AKID"], ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": ""]])
    func keyIdWithoutSecretIsAnError(_ environment: [String: String]) async {
        let error = await #expect(throws: CredentialError.self) {
            try await EnvironmentCredentialProvider(environment: environment).credentials()
        }
        #expect(error?.code == .partialCredentials)
        #expect(error?.description == "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or neither")
    }

    @Test func unreadableExpiryIsAnError() async {
        let error = await #expect(throws: CredentialError.self) {
            try await EnvironmentCredentialProvider(environment: [
                "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_CREDENTIAL_EXPIRATION": "tomorrow",
            ]).credentials()
        }
        #expect(error?.code == .invalidConfiguration)
    }
}
