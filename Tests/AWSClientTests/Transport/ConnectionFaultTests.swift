import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Model
import NetworkTestSupport
import Simulator
import Testing

/// The client against the simulator over real TLS, directly and through a real forward proxy:
/// certificates that are not trusted, expired or for other names, and proxies that are down,
/// want a password or refuse the tunnel, all end a call at once (no retry) with the host, the
/// cause and the fix in plain words.
struct ConnectionFaultTests {
    typealias Harness = SimulatorBackedClient

    /// A lasting failure after one attempt, with no wait for a retry, in plain words.
    static func expectLasting(_ failure: CognitoSyncError?, code: String, harness: Harness, saying phrases: [String]) {
        guard let failure else {
            Issue.record("the call succeeded")
            return
        }
        #expect(failure.code == code, "\(failure)")
        #expect(failure.isLasting, "\(failure)")
        #expect(failure.attempts == 1, "\(failure)")
        #expect(harness.sleeps.all.isEmpty, "a lasting failure must not be retried")
        for phrase in phrases {
            #expect(failure.message.contains(phrase), "'\(phrase)' missing from: \(failure.message)")
        }
        #expect(PlainWords.problems(in: failure.description).isEmpty, "\(failure.description)")
    }

    // MARK: - Certificates

    @Test func aCertificateFromAnotherCANamesItsIssuerAndTheFix() async throws {
        let inspection = try PrivateCertificateAuthority(name: "Example Corp TLS Inspection CA")
        let tls = try SimulatorTLS(identity: inspection.issueServerIdentity())
        // With the system's store, the fix is a CA bundle.
        try await Harness.run(serverTLS: tls, network: NetworkSettings()) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "CertificateUntrusted", harness: harness, saying: [
                "the certificate of 127.0.0.1:\(harness.port) is issued by 'CN=Example Corp TLS Inspection CA",
                "a CA that is not trusted here (trusted: the system store",
                "set AWS_CA_BUNDLE or aws.caBundle to that CA's PEM file",
            ])
            #expect(harness.simulator.requestLog.recent.isEmpty, "no request may go out over an unverified connection")
        }
        // With a bundle that lacks the CA, the fix is the bundle.
        try await Harness.run(serverTLS: tls) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "CertificateUntrusted", harness: harness, saying: [
                "(trusted: the test CA (from tests, 1 certificate))", "add the certificate of the CA that issued it to the bundle",
            ])
        }
    }

    @Test func anExpiredCertificateSaysWhen() async throws {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let expired = TestTLS.server { try TestTLS.authority.issueServerIdentity(notValidBefore: now - 2 * 86_400, notValidAfter: now - 86_400) }
        try await Harness.run(serverTLS: expired) { harness in
            let expiry = (now - 86_400).formatted(.iso8601)
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "CertificateExpired", harness: harness, saying: [
                "the certificate of 127.0.0.1:\(harness.port)", "expired on \(expiry)", "the server must renew it",
            ])
        }
    }

    @Test func aCertificateNotValidYetPointsAtTheClock() async throws {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let early = TestTLS.server { try TestTLS.authority.issueServerIdentity(notValidBefore: now + 86_400, notValidAfter: now + 2 * 86_400) }
        try await Harness.run(serverTLS: early) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "CertificateNotYetValid", harness: harness, saying: [
                "is valid only from \((now + 86_400).formatted(.iso8601))", "set the clock right",
            ])
        }
    }

    @Test func aCertificateForOtherNamesListsThem() async throws {
        let elsewhere = TestTLS.server { try TestTLS.authority.issueServerIdentity(for: ["api.example.com", "10.9.8.7"]) }
        try await Harness.run(serverTLS: elsewhere) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "CertificateNameMismatch", harness: harness, saying: [
                "the certificate of 127.0.0.1:\(harness.port) is for api.example.com, 10.9.8.7, not for 127.0.0.1",
                "use an endpoint URL with one of the certificate's names",
            ])
        }
    }

    @Test func aPlainHTTPServerBehindAnHTTPSURLIsNamed() async throws {
        try await Harness.run(serverTLS: nil, endpoint: { "https://127.0.0.1:\($0.port)" }) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "NotTLS", harness: harness, saying: [
                "127.0.0.1:\(harness.port) did not answer in TLS", "use an http:// endpoint URL",
            ])
        }
    }

    @Test func theHostNameLocalhostIsVerifiedToo() async throws {
        try await Harness.run(endpoint: { "https://localhost:\($0.port)" }) { harness in
            _ = try await harness.details(Harness.succeeding)
        }
    }

    // MARK: - Proxies

    static func through(_ proxyURL: String, noProxy: String? = nil) throws -> NetworkSettings {
        NetworkSettings(
            trust: TestTLS.trust,
            serviceProxies: ProxySettings(
                https: try ProxyServer(parsing: proxyURL, setting: "HTTPS_PROXY"),
                noProxy: noProxy.map { NoProxyList($0, setting: "NO_PROXY") }))
    }

    @Test func callsGoThroughTheProxysTunnelAndKeepItOpen() async throws {
        let proxy = try await ForwardProxy.start()
        defer { Task { await proxy.shutdown() } }
        try await Harness.run(network: try Self.through(proxy.url)) { harness in
            for _ in 0..<3 {
                _ = try await harness.details(Harness.succeeding)
            }
            #expect(proxy.requests == [ForwardProxy.Request(target: "127.0.0.1:\(harness.port)", authorization: nil, status: 200)])
            #expect(harness.simulator.requestLog.recent.count == 3)
        }
    }

    @Test func proxyCredentialsArePercentDecodedAndSentAsBasic() async throws {
        let proxy = try await ForwardProxy.start(credentials: ("ops team", "p@ss:w%rd"))
        defer { Task { await proxy.shutdown() } }
        let url = "http://ops%20team:p%40ss%3Aw%25rd@127.0.0.1:\(proxy.port)"
        try await Harness.run(network: try Self.through(url)) { harness in
            _ = try await harness.details(Harness.succeeding)
            #expect(proxy.requests.map(\.status) == [200])
            #expect(proxy.requests.first?.authorization == "Basic " + Data("ops team:p@ss:w%rd".utf8).base64EncodedString())
        }
    }

    @Test func aProxyAskingForCredentialsSaysHowToGiveThem() async throws {
        let proxy = try await ForwardProxy.start(credentials: ("ops", "right-password"))
        defer { Task { await proxy.shutdown() } }
        try await Harness.run(network: try Self.through(proxy.url)) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "ProxyAuthenticationRequired", harness: harness, saying: [
                "the proxy 127.0.0.1:\(proxy.port) (from HTTPS_PROXY) refused to open a tunnel to 127.0.0.1:\(harness.port)",
                "407 Proxy Authentication Required", "http://USER:PASSWORD@host:port",
            ])
        }
        try await Harness.run(network: try Self.through("http://ops:wrong-password-42@127.0.0.1:\(proxy.port)")) { harness in
            let failure = await harness.failure(Harness.succeeding)
            Self.expectLasting(failure, code: "ProxyAuthenticationRequired", harness: harness, saying: ["check the user name and password"])
            #expect(failure?.description.contains("wrong-password-42") == false, "the password must never be shown")
        }
    }

    @Test func aProxyRefusingTheTunnelSaysSo() async throws {
        try await Harness.run { harness in
            let proxy = try await ForwardProxy.start(refusing: ["127.0.0.1:\(harness.port)"])
            defer { Task { await proxy.shutdown() } }
            let transport = HTTPTransport(settings: try Self.through(proxy.url))
            defer { Task { await transport.shutdown() } }
            let client = CognitoSyncClient(
                transport: transport, credentials: StaticCredentials(credentials: Harness.demoKeys),
                configuration: CognitoSyncClientConfiguration(endpoint: EndpointSettings(endpointURL: harness.server.endpoint), environment: [:]),
                sleep: { harness.sleeps.record($0) })
            let pool = try Harness.pool(Harness.succeeding)
            do throws(CognitoSyncError) {
                _ = try await client.bulkPublishDetails(for: pool, region: pool.region)
                Issue.record("the call succeeded")
            } catch {
                Self.expectLasting(error, code: "ProxyRefusedTunnel", harness: harness, saying: [
                    "refused to open a tunnel to 127.0.0.1:\(harness.port)", "list 127.0.0.1 in NO_PROXY",
                ])
            }
            #expect(proxy.requests.map(\.status) == [403])
        }
    }

    @Test func noProxyHostsGoDirect() async throws {
        let proxy = try await ForwardProxy.start()
        defer { Task { await proxy.shutdown() } }
        try await Harness.run(network: try Self.through(proxy.url, noProxy: "example.com, 127.0.0.1")) { harness in
            _ = try await harness.details(Harness.succeeding)
            #expect(proxy.requests.isEmpty)
        }
    }

    @Test func aDeadProxyIsNamedAtOnce() async throws {
        let dead = try DeadPort()
        let port = dead.port
        try await Harness.run(network: try Self.through("127.0.0.1:\(port)")) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "ProxyUnreachable", harness: harness, saying: [
                "cannot connect to the proxy 127.0.0.1:\(port) (from HTTPS_PROXY)", "connection refused",
            ])
        }
        withExtendedLifetime(dead) {}
    }

    /// A TLS-inspecting proxy: the diagnosis looks at the certificate through the same tunnel.
    @Test func anUntrustedCertificateBehindAProxyIsDiagnosedThroughIt() async throws {
        let inspection = try PrivateCertificateAuthority(name: "Proxy Inspection CA")
        let proxy = try await ForwardProxy.start(credentials: ("ops", "secret"))
        defer { Task { await proxy.shutdown() } }
        let tls = try SimulatorTLS(identity: inspection.issueServerIdentity())
        try await Harness.run(serverTLS: tls, network: try Self.through("http://ops:secret@127.0.0.1:\(proxy.port)")) { harness in
            Self.expectLasting(await harness.failure(Harness.succeeding), code: "CertificateUntrusted", harness: harness, saying: [
                "is issued by 'CN=Proxy Inspection CA",
            ])
            #expect(proxy.requests.map(\.status) == [200, 200], "the call's tunnel, and the diagnosis's")
        }
    }
}
