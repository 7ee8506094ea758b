@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import NetworkTestSupport
import Simulator
import SwiftASN1
import Testing
import X509

/// The libraries' errors mapped to causes, and each cause's message: the host, the cause and the
/// fix, in plain words.
struct ConnectionFailureTests {
    static let proxy = try? ProxyServer(parsing: "http://ops:hunter2-secret@proxy.corp:3128", setting: "HTTPS_PROXY")

    static func classify(_ error: any Error, endpoint: String = "cognito-sync.us-east-1.amazonaws.com:443", proxy: ProxyServer? = nil) -> ConnectionFailure? {
        ConnectionFailure.classify(error, endpoint: endpoint, proxy: proxy, trust: .system)
    }

    @Test func proxyAnswersAreLasting() throws {
        let proxy = try #require(Self.proxy)
        #expect(Self.classify(HTTPClientError.proxyAuthenticationRequired, proxy: proxy)?.cause == .proxyAuthenticationRequired)
        #expect(Self.classify(HTTPClientError.invalidProxyResponse, proxy: proxy)?.cause == .proxyRefusedTunnel)
        #expect(Self.classify(HTTPClientError.httpProxyHandshakeTimeout, proxy: proxy)?.cause == .proxyTimedOut)
        for error in [HTTPClientError.proxyAuthenticationRequired, .invalidProxyResponse, .httpProxyHandshakeTimeout] {
            #expect(Self.classify(error, proxy: proxy)?.isLasting == true)
        }
    }

    /// Through a proxy, a refused or timed-out connection is the proxy's; direct, the endpoint's,
    /// which may recover.
    @Test func refusalsAndTimeoutsBelongToTheFirstHop() throws {
        let proxy = try #require(Self.proxy)
        let refused = IOError(errnoCode: ECONNREFUSED, reason: "connect")
        #expect(Self.classify(refused)?.cause == .refused)
        #expect(Self.classify(refused)?.isLasting == false)
        #expect(Self.classify(refused, proxy: proxy)?.cause == .proxyUnreachable("connection refused"))
        #expect(Self.classify(refused, proxy: proxy)?.isLasting == true)
        #expect(Self.classify(HTTPClientError.connectTimeout)?.cause == .connectTimedOut)
        #expect(Self.classify(HTTPClientError.connectTimeout, proxy: proxy)?.isLasting == true)
        #expect(Self.classify(ChannelError.connectTimeout(.seconds(5)))?.cause == .connectTimedOut)
    }

    @Test func aHostNameMismatchAsksForADiagnosis() {
        let failure = Self.classify(NIOSSLExtraError.failedToValidateHostname)
        #expect(failure?.cause == .certificateNameMismatch(names: []))
        #expect(failure?.needsDiagnosis == true)
        #expect(failure?.isLasting == true)
    }

    /// A refused direct connection to AWS hints that a proxy may be missing; to loopback it does not.
    @Test func aDirectFailureToAWSMentionsProxies() {
        let refused = IOError(errnoCode: ECONNREFUSED, reason: "connect")
        #expect(Self.classify(refused)?.message.contains("set HTTPS_PROXY or aws.proxy") == true)
        #expect(Self.classify(refused, endpoint: "127.0.0.1:4600")?.message == "127.0.0.1:4600 refused the connection")
    }

    static let causes: [ConnectionFailure.Cause] = [
        .certificateUntrusted(issuer: "CN=Corp CA"), .certificateUntrusted(issuer: nil),
        .certificateExpired(subject: "CN=a", on: Date(timeIntervalSince1970: 1_700_000_000), now: Date(timeIntervalSince1970: 1_800_000_000)),
        .certificateNotYetValid(subject: "CN=a", from: Date(timeIntervalSince1970: 1_900_000_000), now: Date(timeIntervalSince1970: 1_800_000_000)),
        .certificateNameMismatch(names: ["a.example", "b.example"]), .certificateNameMismatch(names: []), .certificateRejected,
        .tlsHandshakeFailed, .notTLS, .trustStoreUnusable, .proxyUnreachable("connection refused"), .proxyAuthenticationRequired,
        .proxyRefusedTunnel, .proxyTimedOut, .refused, .unresolvable, .connectTimedOut, .closed, .other("could not connect"),
    ]

    /// Every message names the endpoint, reads as plain words, and never shows a proxy password.
    @Test(arguments: causes)
    func everyMessageNamesTheHostInPlainWords(_ cause: ConnectionFailure.Cause) throws {
        for proxy in [nil, Self.proxy] {
            let failure = ConnectionFailure(cause, endpoint: "cognito-sync.us-east-1.amazonaws.com:443", proxy: proxy, trust: .system)
            #expect(failure.message.contains("cognito-sync.us-east-1.amazonaws.com"), "\(failure.message)")
            #expect(PlainWords.problems(in: failure.description).isEmpty, "\(failure.description)")
            #expect(!failure.description.contains("hunter2-secret"))
            #expect(!failure.description.contains("\n"))
        }
    }

    /// What a certificate chain shows, read without IO: dates first, then names, then the issuer.
    @Test func theDiagnosisReadsDatesNamesAndTheIssuer() throws {
        let leaf = try Certificate(pemEncoded: TestTLS.authority.issueServerIdentity(for: ["api.example.com", "10.1.2.3", "::1"]).certificateChainPEM)
        let rejected = ConnectionFailure(.certificateRejected, endpoint: "api.example.com:443", proxy: nil, trust: .system)
        let mismatch = ConnectionFailure(.certificateNameMismatch(names: []), endpoint: "10.0.0.1:443", proxy: nil, trust: .system)
        let now = Date()
        #expect(CertificateDiagnosis.explain(rejected, chain: [leaf], now: now).cause
            == .certificateUntrusted(issuer: "CN=cognito-sync-watcher test CA,O=cognito-sync-watcher"))
        #expect(CertificateDiagnosis.explain(mismatch, chain: [leaf], now: now).cause
            == .certificateNameMismatch(names: ["api.example.com", "10.1.2.3", "::1"]))
        let later = now.addingTimeInterval(400 * 86_400)
        #expect(CertificateDiagnosis.explain(mismatch, chain: [leaf], now: later).cause
            == .certificateExpired(subject: "CN=api.example.com,O=cognito-sync-watcher", on: leaf.notValidAfter, now: later))
        #expect(CertificateDiagnosis.explain(rejected, chain: [], now: now) == rejected)
    }

    static let badProxyURLs: [(url: String, reason: String)] = [
        ("https://proxy.corp:3128", "is a proxy reached over HTTPS, which is not supported"),
        ("socks5://proxy.corp:1080", "uses the scheme 'socks5', and only http:// proxies are supported"),
        ("http://user:hunter2-secret@proxy.corp:99999", "not a number from 1 to 65535"),
        ("http://user:hunter2-secret@:3128", "has no host name"),
        ("http://[::1:3128", "without its closing ']'"),
    ]

    @Test(arguments: badProxyURLs)
    func anUnusableProxyURLNamesTheSettingAndNeverThePassword(url: String, reason: String) {
        #expect {
            _ = try ProxyServer(parsing: url, setting: "HTTPS_PROXY")
        } throws: { error in
            guard let error = error as? NetworkSettingsError else { return false }
            return error.setting == "HTTPS_PROXY" && error.problem.hasPrefix("HTTPS_PROXY (") && error.problem.contains(reason)
                && !error.description.contains("hunter2-secret")
        }
    }

    @Test func aProxyIsShownWithoutItsPassword() throws {
        let proxy = try #require(Self.proxy)
        #expect("\(proxy)" == "http://proxy.corp:3128 (user ops)")
        #expect(proxy.address == "proxy.corp:3128")
    }
}
