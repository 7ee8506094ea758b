@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import Foundation
import Model
import NetworkTestSupport
import Simulator
import Testing
import ProcessSupport

/// Trust, proxy and retry settings resolved from the configuration, the environment and the
/// profile, with real files: the order botocore uses, and an error naming file and setting for
/// anything that cannot be used.
struct ClientSettingsTests {
    /// A scratch directory with the test CA in `ca.pem`, a second CA in `other.pem`, and an
    /// environment whose shared files are its own.
    final class Files {
        let directory: ScratchDirectory
        let ca: String
        let other: String
        var environment: [String: String]

        init(config: String = "") throws {
            directory = try ScratchDirectory()
            ca = try directory.write(TestTLS.authority.certificatePEM, to: "ca.pem")
            other = try directory.write(try PrivateCertificateAuthority(name: "other CA").certificatePEM, to: "other.pem")
            environment = [
                "AWS_CONFIG_FILE": try directory.write(config, to: "config"),
                "AWS_SHARED_CREDENTIALS_FILE": directory.file("no-credentials"),
            ]
        }
    }

    static func resolve(_ environment: [String: String], aws: AWSOptions = AWSOptions()) throws(ClientSettingsError) -> ClientSettings {
        try ClientSettings.resolve(aws: aws, environment: environment)
    }

    @Test func theSystemStoreIsTheDefault() throws {
        let files = try Files()
        let settings = try Self.resolve(files.environment)
        #expect(settings.network.trust.source == .system)
        #expect(settings.network.serviceProxies == .direct)
        #expect(settings.retry == RetrySettings())
    }

    /// The configuration beats `AWS_CA_BUNDLE`, which beats the profile's `ca_bundle`, which
    /// beats `SSL_CERT_FILE`; botocore agrees on the middle two.
    @Test(arguments: [
        (true, true, true, true, "aws.caBundle/--ca-bundle"),
        (false, true, true, true, "AWS_CA_BUNDLE"),
        (false, false, true, true, "ca_bundle in profile default"),
        (false, false, false, true, "SSL_CERT_FILE"),
    ])
    func bundleSettingsWinInBotocoresOrder(configured: Bool, environment: Bool, profile: Bool, sslCertFile: Bool, winner: String) throws {
        let files = try Files()
        var variables = files.environment
        if environment { variables["AWS_CA_BUNDLE"] = files.ca }
        if sslCertFile { variables["SSL_CERT_FILE"] = files.ca }
        if profile { try Data("[default]\nca_bundle = \(files.ca)\n".utf8).write(to: URL(fileURLWithPath: variables["AWS_CONFIG_FILE"] ?? "")) }
        let settings = try Self.resolve(variables, aws: AWSOptions(caBundle: configured ? files.ca : nil))
        #expect(settings.network.trust.source == .bundle(path: files.ca, setting: winner))
        #expect(settings.network.trust.certificateCount == 1)
    }

    @Test func environmentBeatsTheProfileAsInBotocore() async throws {
        let files = try Files(config: "[default]\nca_bundle = /from/profile.pem\n[profile other]\nca_bundle = /from/other.pem\n")
        let cases: [[String: Any]] = [
            ["kind": "settings", "environment": files.environment.merging(["AWS_CA_BUNDLE": "/from/env.pem"]) { $1 }, "config": NSNull(), "profile": NSNull()],
            ["kind": "settings", "environment": files.environment, "config": NSNull(), "profile": "other"],
        ].map { entry in
            var entry = entry
            entry["config"] = "[default]\nca_bundle = /from/profile.pem\n[profile other]\nca_bundle = /from/other.pem\n"
            return entry
        }
        let theirs = try await BotocoreOracle.runPerCase(script: "botocore_network.py", input: cases) { $0["ca_bundle"] as? String }.get()
        #expect(theirs == ["/from/env.pem", "/from/other.pem"])
        // The same choices here: the paths do not exist, so the errors name what was chosen.
        for (index, aws) in [AWSOptions(), AWSOptions(profile: "other")].enumerated() {
            let environment = index == 0 ? files.environment.merging(["AWS_CA_BUNDLE": "/from/env.pem"]) { $1 } : files.environment
            #expect(throws: ClientSettingsError.self) { try Self.resolve(environment, aws: aws) }
            do {
                _ = try Self.resolve(environment, aws: aws)
            } catch {
                #expect(error.problems.first?.problem.contains(theirs[index] ?? "?") == true, "\(error)")
            }
        }
    }

    @Test func aBundleThatCannotBeUsedIsAnErrorNamingFileAndSetting() throws {
        let files = try Files()
        let text = try files.directory.write("not a certificate\n", to: "notes.txt")
        let der = try files.directory.write(String(decoding: [0x30, 0x82, 0x01, 0x0a], as: UTF8.self), to: "ca.der")
        let cases: [(path: String, expected: String)] = [
            (files.directory.file("missing.pem"), "does not exist"),
            (files.directory.path, "is a directory, not a file"),
            (files.ca + "/inside", "a part of its path is not a directory"),
            (text, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
            (der, "it looks like a DER file; convert it: openssl x509 -inform der"),
        ]
        for (path, expected) in cases {
            var environment = files.environment
            environment["AWS_CA_BUNDLE"] = path
            do {
                _ = try Self.resolve(environment)
                Issue.record("\(path) was accepted")
            } catch {
                let message = error.description
                #expect(message.contains("the CA bundle \(path) (from AWS_CA_BUNDLE)") && message.contains(expected), "\(message)")
                #expect(error.problems.first?.setting == "AWS_CA_BUNDLE")
            }
        }
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let files = try Files(config: "[default]\nmax_attempts = many\n")
        var environment = files.environment
        environment["AWS_CA_BUNDLE"] = files.directory.file("missing.pem")
        environment["HTTPS_PROXY"] = "socks5://proxy:1080"
        environment["AWS_RETRY_MODE"] = "fast"
        do {
            _ = try Self.resolve(environment)
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.setting) == ["AWS_CA_BUNDLE", "HTTPS_PROXY", "max_attempts in profile default"])
            #expect(error.description.contains("only http:// proxies are supported"))
        }
        // The mode's problem shows once the attempts are fixed.
        environment["AWS_MAX_ATTEMPTS"] = "4"
        environment["AWS_CA_BUNDLE"] = nil
        environment["HTTPS_PROXY"] = nil
        #expect(throws: ClientSettingsError(problems: [NetworkSettingsError(
            "AWS_RETRY_MODE is 'fast', not a retry mode", fix: "use standard (or remove it); botocore knows legacy, standard and adaptive",
            setting: "AWS_RETRY_MODE")])) {
            try Self.resolve(environment)
        }
    }

    /// `AWS_MAX_ATTEMPTS` beats the profile's `max_attempts`, as botocore reads them; modes other
    /// than standard run as standard, with a warning that says so.
    @Test func retrySettingsAsBotocoreReadsThem() async throws {
        let config = "[default]\nmax_attempts = 4\nretry_mode = adaptive\n"
        let files = try Files(config: config)
        let withEnvironment = files.environment.merging(["AWS_MAX_ATTEMPTS": "6", "AWS_RETRY_MODE": "legacy"]) { $1 }
        let cases: [[String: Any]] = [files.environment, withEnvironment].map {
            ["kind": "settings", "environment": $0, "config": config, "profile": NSNull()]
        }
        let theirs = try await BotocoreOracle.runPerCase(script: "botocore_network.py", input: cases) { ($0["max_attempts"] as? Int, $0["retry_mode"] as? String) }.get()
        let fromProfile = try Self.resolve(files.environment).retry
        let fromEnvironment = try Self.resolve(withEnvironment).retry
        #expect(fromProfile.maxAttempts == theirs[0].0 && fromProfile.requestedMode == theirs[0].1)
        #expect(fromEnvironment.maxAttempts == theirs[1].0 && fromEnvironment.requestedMode == theirs[1].1)
        #expect(fromProfile.maxAttemptsSetting == "max_attempts in profile default")
        #expect(fromEnvironment.maxAttemptsSetting == "AWS_MAX_ATTEMPTS")
        #expect(fromProfile.modeWarning?.contains("retry mode 'adaptive' (from retry_mode in profile default) is not supported; the standard mode is used") == true)
        #expect(fromEnvironment.modeWarning?.contains("retry mode 'legacy' (from AWS_RETRY_MODE) is not supported") == true)
        #expect(try Self.resolve(files.environment.merging(["AWS_RETRY_MODE": "standard"]) { $1 }).retry.modeWarning == nil)
    }

    @Test(arguments: ["0", "-1", "3.5", "three", ""])
    func attemptsMustBeAWholeNumberOfAtLeastOne(_ value: String) throws {
        let files = try Files()
        #expect(throws: ClientSettingsError.self) {
            try Self.resolve(files.environment.merging(["AWS_MAX_ATTEMPTS": value]) { $1 })
        }
    }

    /// `aws.proxy` replaces the environment's proxies, `NO_PROXY` included, as a botocore
    /// client's own `proxies` do; instance metadata keeps following the environment.
    @Test func theConfiguredProxyReplacesTheEnvironments() throws {
        let files = try Files()
        let environment = files.environment.merging(["HTTPS_PROXY": "http://env-proxy:3128", "NO_PROXY": "amazonaws.com"]) { $1 }
        let aws = AWSOptions(proxy: ProxyOptions(https: "http://corp-proxy:8080", noProxy: ["localhost"]))
        let settings = try Self.resolve(environment, aws: aws)
        let endpoint = try #require(URL(string: "https://cognito-sync.us-east-1.amazonaws.com"))
        #expect(settings.network.serviceProxies.proxy(for: endpoint)?.host == "corp-proxy")
        #expect(settings.network.serviceProxies.proxy(for: endpoint)?.setting == "aws.proxy.https")
        #expect(settings.network.environmentProxies.proxy(for: endpoint) == nil, "NO_PROXY of the environment")
        #expect(settings.network.serviceProxies.proxy(for: try #require(URL(string: "https://localhost:4600"))) == nil)

        let broken = AWSOptions(proxy: ProxyOptions(https: "http://corp-proxy:99999"))
        #expect {
            try Self.resolve(environment, aws: broken)
        } throws: { error in
            (error as? ClientSettingsError)?.problems.first?.setting == "aws.proxy.https"
        }
    }

    @Test func aProfileThatIsMissingHasNoSettings() throws {
        let files = try Files(config: "[default]\nca_bundle = /nowhere.pem\n")
        #expect(try Self.resolve(files.environment, aws: AWSOptions(profile: "absent")).network.trust.source == .system)
    }
}
