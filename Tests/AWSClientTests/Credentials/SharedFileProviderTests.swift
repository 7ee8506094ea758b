import Foundation
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import NetworkTestSupport
import ProcessSupport

struct SharedFileProviderTests {
    @Test func credentialsFileSectionsAreNamedWithoutPrefix() async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write(ProfileFileFixtures.defaultAndProd + """

            [profile staging]
            aws_access_key_id = AKIDSTAGING
            aws_secret_access_key = secretStaging
            """, to: "credentials")
        let prod = try await SharedFileCredentialProvider(.credentials, profile: "prod", path: path).credentials()
        #expect(prod == ProfileFileFixtures.prodCredentials)
        let quirk = try await SharedFileCredentialProvider(.credentials, profile: "profile staging", path: path).credentials()
        #expect(quirk.accessKeyID == "AKIDSTAGING")
        await expectNotConfigured(SharedFileCredentialProvider(.credentials, profile: "staging", path: path))
    }

    /// Keys in a file its group or other users can read or write are used, with a warning that
    /// names the file, the mode and the fix, and never the secret.
    @Test(arguments: [(0o600, nil), (0o400, nil), (0o640, "members of its group (mode 640)"),
                      (0o644, "every user on this machine (mode 644)"), (0o620, "members of its group (mode 620)")] as [(Int, String?)])
    func keysInAFileOthersCanOpenAreUsedWithAWarning(mode: Int, expected: String?) async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("""
            [default]
            aws_access_key_id = AKIDEXAMPLE
            aws_secret_access_key = do-not-print-this-secret
            """, to: "credentials", permissions: mode)
        let provider = SharedFileCredentialProvider(.credentials, profile: "default", path: path)
        let resolved = try await CredentialChain(providers: [provider]).resolve()
        #expect(resolved.credentials.accessKeyID == "AKIDEXAMPLE")
        let warning = resolved.warnings.first
        #expect(resolved.warnings.count <= 1)
        if let expected {
            let text = try #require(warning)
            #expect(text.contains(path) && text.contains(expected) && text.contains("chmod 600 \(path)"), "\(text)")
            #expect(!text.contains("do-not-print-this-secret"))
        } else {
            #expect(warning == nil)
        }
    }

    @Test func legacySecurityTokenWinsAsInBotocore() async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("""
            [default]
            aws_access_key_id = AKID
            aws_secret_access_key = secret
            aws_session_token = new
            aws_security_token = legacy
            """, to: "credentials")
        let credentials = try await SharedFileCredentialProvider(.credentials, profile: "default", path: path).credentials()
        #expect(credentials.sessionToken == "legacy")
    }

    @Test func configFileProfilesNeedThePrefixExceptDefault() async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("""
            [default]
            aws_access_key_id = AKIDPLAIN
            aws_secret_access_key = s1
            [profile default]
            aws_access_key_id = AKIDPREFIXED
            aws_secret_access_key = s2
            [profile prod]
            aws_access_key_id = AKIDPROD
            aws_secret_access_key = s3
            [profile "with space"]
            aws_access_key_id = AKIDSPACE
            aws_secret_access_key = s4
            [ignored]
            aws_access_key_id = AKIDIGNORED
            aws_secret_access_key = s5
            """, to: "config")
        // The later of [default] and [profile default] wins, as in botocore's build_profile_map.
        func config(_ profile: String) -> SharedFileCredentialProvider {
            SharedFileCredentialProvider(.config, profile: profile, path: path)
        }
        #expect(try await config("default").credentials().accessKeyID == "AKIDPREFIXED")
        #expect(try await config("prod").credentials().accessKeyID == "AKIDPROD")
        #expect(try await config("with space").credentials().accessKeyID == "AKIDSPACE")
        await expectNotConfigured(config("ignored"))
    }

    @Test func missingFilesSectionsAndKeysAreNotConfigured() async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("[default]\nregion = us-east-1\n", to: "credentials")
        await expectNotConfigured(
            SharedFileCredentialProvider(.credentials, profile: "default", path: directory.file("absent")))
        await expectNotConfigured(SharedFileCredentialProvider(.credentials, profile: "default", path: directory.path))
        await expectNotConfigured(SharedFileCredentialProvider(.credentials, profile: "other", path: path))
        await expectNotConfigured(SharedFileCredentialProvider(.credentials, profile: "default", path: path))
        await expectNotConfigured(SharedFileCredentialProvider(.credentials, profile: "default", path: nil))
    }

    @Test func keyWithoutSecretIsAnError() async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("[default]\naws_access_key_id = AKID\n", to: "credentials")
        let error = await #expect(throws: CredentialError.self) {
            try await SharedFileCredentialProvider(.credentials, profile: "default", path: path).credentials()
        }
        #expect(error?.code == .partialCredentials)
        #expect(error?.message.contains(path) == true)
    }

    @Test func malformedFileIsAnErrorNamingPathAndLine() async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("[default]\naws_access_key_id = AKID\nsecretWithoutEquals\n", to: "credentials")
        let error = await #expect(throws: CredentialError.self) {
            try await SharedFileCredentialProvider(.credentials, profile: "default", path: path).credentials()
        }
        #expect(error?.code == .malformedFile)
        #expect(error?.message == "\(path) line 3: expected `key = value`, a [section] header or a comment")
    }

    /// A file that is there but cannot be read is skipped as botocore skips it (Python's
    /// `configparser.read` ignores files it cannot open or read), with a warning naming it; the
    /// next source answers. `/proc/self/mem` is a regular file whose first read fails (EIO) for
    /// every user, root included, so the case is real in CI.
    @Test func anUnreadableSharedFileIsSkippedWithAWarning() async throws {
        let unreadable = "/proc/self/mem"
        let directory = try ScratchDirectory()
        let config = try directory.write("""
            [default]
            aws_access_key_id = AKIDFROMCONFIG
            aws_secret_access_key = config-secret
            """, to: "config", permissions: 0o600)
        let environment = ["AWS_SHARED_CREDENTIALS_FILE": unreadable, "AWS_CONFIG_FILE": config, "HOME": directory.path]
        let chain = CredentialChain(environment: environment, transport: .shared)
        let resolved = try await chain.resolve()
        #expect(resolved.credentials.accessKeyID == "AKIDFROMCONFIG")
        #expect(resolved.sourceName == "config file (profile default)")
        #expect(resolved.warnings == [
            "\(unreadable) cannot be read: Input/output error; it is skipped as if it did not exist (as the AWS CLI does): "
                + "make it readable by this user, or remove it",
        ])
        // The provider of that file on its own: not configured, saying why.
        let error = await #expect(throws: CredentialError.self) {
            try await SharedFileCredentialProvider(.credentials, profile: "default", path: unreadable).credentials()
        }
        #expect(error?.code == .notConfigured)
        #expect(error?.message == "\(unreadable) cannot be read: Input/output error (skipped)")
    }

    /// A credentials file that is not UTF-8 stops the chain, as botocore's `ConfigParseError` does.
    @Test func aSharedFileThatIsNotUTF8IsAnError() async throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("", to: "credentials")
        try Data(Array("[default]\naws_access_key_id = ".utf8) + [0xFF, 0xFE]).write(to: URL(fileURLWithPath: path))
        let error = await #expect(throws: CredentialError.self) {
            try await SharedFileCredentialProvider(.credentials, profile: "default", path: path).credentials()
        }
        #expect(error?.code == .malformedFile)
        #expect(error?.message == "\(path) is not valid UTF-8")
    }

    @Test func locationsComeFromTheEnvironmentOrHome() {
        #expect(SharedFileLocations(environment: ["HOME": "/home/svc/"]) == SharedFileLocations(
            credentialsFile: "/home/svc/.aws/credentials", configFile: "/home/svc/.aws/config"))
        #expect(SharedFileLocations(environment: [:]) == SharedFileLocations(credentialsFile: nil, configFile: nil))
        #expect(SharedFileLocations(environment: ["HOME": ""]) == SharedFileLocations(credentialsFile: nil, configFile: nil))
        #expect(SharedFileLocations(environment: [
            "HOME": "/root", "STATE": "/var/lib/x",
            "AWS_SHARED_CREDENTIALS_FILE": "$STATE/creds", "AWS_CONFIG_FILE": "~/cfg/${UNSET}/c",
        ]) == SharedFileLocations(credentialsFile: "/var/lib/x/creds", configFile: "/root/cfg/${UNSET}/c"))
    }

    @Test(arguments: [
        ("$A/x", "1/x"), ("${A}x", "1x"), ("$Ax", "$Ax"), ("$", "$"), ("${A", "${A"), ("${}", "${}"),
        ("a$A$A", "a11"), ("$A_B", "2"),
    ])
    func expandsVariablesLikePython(_ input: String, _ expected: String) {
        #expect(PathExpansion.expandVariables(input, environment: ["A": "1", "A_B": "2"]) == expected)
    }

    @Test func mergedProfileLaysCredentialsOverConfig() throws {
        let directory = try ScratchDirectory()
        let locations = SharedFileLocations(
            credentialsFile: try directory.write("[prod]\ncredential_process = from-credentials\n", to: "credentials"),
            configFile: try directory.write("[profile prod]\ncredential_process = from-config\nregion = r\n", to: "config"))
        let profiles = try SharedProfiles.load(locations, source: "test")
        #expect(profiles.mergedProfile("prod") == ["credential_process": "from-credentials", "region": "r"])
        #expect(profiles.mergedProfile("absent") == nil)
    }
}

/// Expects `provider` to say "not configured here" rather than fail or succeed.
func expectNotConfigured(_ provider: some CredentialProvider, sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        let credentials = try await provider.credentials()
        Issue.record("expected not configured, got \(credentials)", sourceLocation: sourceLocation)
    } catch let error as CredentialError {
        #expect(error.code == .notConfigured, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}
