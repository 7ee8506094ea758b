@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import Foundation
import Testing

/// The proxy rules, checked against botocore and the urllib it uses, on the machine running the
/// tests: which hosts `NO_PROXY` exempts, which variables win, and what a proxy URL means.
struct ProxyRulesAgreeWithBotocoreTests {
    static let bypassCases: [(noProxy: String, netloc: String)] = [
        ("example.com", "example.com"), ("example.com", "api.example.com"), ("example.com", "api.example.com:443"),
        ("example.com", "notexample.com"), (".example.com", "example.com"), ("..example.com", "a.example.com"),
        ("EXAMPLE.com", "Api.Example.COM"), ("localhost:8443", "localhost:8443"), ("localhost:8443", "localhost:9443"),
        ("localhost", "localhost:8443"), ("127.0.0.1", "127.0.0.1:4600"), ("127.0.0.0/8", "127.0.0.1"),
        ("*", "anything.example"), (" * ", "anything.example"), ("a.com,*", "b.com"), ("a.com, b.com ,", "b.com"),
        ("", "a.com"), (",,", "a.com"), ("::1", "[::1]:4600"), ("[::1]", "[::1]:4600"),
        ("169.254.169.254", "169.254.169.254"), ("amazonaws.com", "cognito-sync.us-east-1.amazonaws.com"),
        ("us-east-1.amazonaws.com", "cognito-sync.eu-west-1.amazonaws.com"), ("a.com\n", "a.com"), ("host:", "host:"),
    ]

    @Test func noProxyMatchesAsUrllibMatches() async throws {
        let input = Self.bypassCases.map { ["kind": "bypass", "noProxy": $0.noProxy, "netloc": $0.netloc] as [String: Any] }
        let expected = try await BotocoreOracle.runPerCase(script: "botocore_network.py", input: input) { $0["bypass"] as? Bool }.get()
        for (index, testCase) in Self.bypassCases.enumerated() {
            let ours = NoProxyList(testCase.noProxy, setting: "NO_PROXY").bypasses(netloc: testCase.netloc)
            #expect(ours == expected[index], "NO_PROXY=\(testCase.noProxy.debugDescription) for \(testCase.netloc)")
        }
    }

    static let environments: [[String: String]] = [
        ["HTTPS_PROXY": "http://upper:1"],
        ["https_proxy": "http://lower:1"],
        ["HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:1"],
        ["HTTPS_PROXY": "http://upper:1", "https_proxy": ""],
        ["HTTPS_PROXY": "", "https_proxy": "http://lower:1"],
        ["HTTP_PROXY": "http://plain:1", "REQUEST_METHOD": "GET"],
        ["http_proxy": "http://plain:1", "REQUEST_METHOD": "GET"],
        ["NO_PROXY": "a.com", "no_proxy": "b.com"],
        ["Https_Proxy": "http://mixed:1"],
        ["ALL_PROXY": "http://all:1", "ftp_proxy": "http://ftp:1"],
    ]

    @Test func variablesWinAsUrllibDecides() async throws {
        let input = Self.environments.map { ["kind": "environ", "environment": $0] as [String: Any] }
        let expected = try await BotocoreOracle.runPerCase(script: "botocore_network.py", input: input) { $0["proxies"] as? [String: String] ?? [:] }.get()
        for (index, environment) in Self.environments.enumerated() {
            let ours = try ProxySettings.fromEnvironment(environment)
            let theirs = expected[index]
            #expect(ours.https.map { "\($0.host):\($0.port)" } == theirs["https"].map(Self.hostPort), "\(environment)")
            #expect(ours.http.map { "\($0.host):\($0.port)" } == theirs["http"].map(Self.hostPort), "\(environment)")
            #expect(ours.noProxy?.value == theirs["no"], "\(environment)")
        }
    }

    static let proxyURLs = [
        "http://proxy.corp:3128", "proxy.corp:3128", "//proxy.corp:3128", "http://proxy.corp", "http://Proxy.Corp:8080/",
        "http://alice:secret@proxy.corp:3128", "http://alice:s%40cr%3At@proxy.corp:3128", "http://alice:p@ss@proxy.corp:3128",
        "http://alice@proxy.corp:3128", "http://alice:@proxy.corp:3128", "http://:secret@proxy.corp:3128",
        "http://al%20ice:p%25ss@proxy.corp:3128", "http://user:bad%zz%4escape%@proxy.corp:3128", "http://[::1]:3128", "http://[fd00::1]", "http://10.0.0.1:80/path?x=1",
    ]

    @Test func proxyURLsMeanWhatTheyMeanToBotocore() async throws {
        let input = Self.proxyURLs.map { ["kind": "proxyURL", "url": $0] as [String: Any] }
        let expected = try await BotocoreOracle.runPerCase(script: "botocore_network.py", input: input) { $0 }.get()
        for (index, url) in Self.proxyURLs.enumerated() {
            let proxy = try ProxyServer(parsing: url, setting: "HTTPS_PROXY")
            let theirs = expected[index]
            let theirHost = (theirs["host"] as? String)?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
            #expect(proxy.host == theirHost, "\(url)")
            #expect(proxy.port == theirs["port"] as? Int, "\(url)")
            #expect(proxy.basicAuthorization == theirs["authorization"] as? String, "\(url)")
        }
    }

    /// botocore takes `HTTP://proxy:8080` for a URL without a scheme (it checks for a lower-case
    /// `http:`) and then connects to a host named `http`; the scheme is case-insensitive here, as
    /// in curl and RFC 3986.
    @Test func theSchemeIsCaseInsensitive() throws {
        let proxy = try ProxyServer(parsing: "HTTP://Proxy.Corp:8080/", setting: "HTTPS_PROXY")
        #expect(proxy.host == "proxy.corp" && proxy.port == 8080)
    }

    /// botocore fails on a user name or password outside ASCII (it encodes them as ASCII); they
    /// are sent as UTF-8 here, as curl sends them.
    @Test func nonASCIICredentialsAreSentAsUTF8() throws {
        let proxy = try ProxyServer(parsing: "http://j%C3%BCrgen:p%C3%A4ss@proxy.corp:3128", setting: "HTTPS_PROXY")
        #expect(proxy.username == "jürgen")
        #expect(proxy.basicAuthorization == "Basic " + Data("jürgen:päss".utf8).base64EncodedString())
    }

    private static func hostPort(_ url: String) -> String {
        let proxy = try? ProxyServer(parsing: url, setting: "test")
        return proxy.map { "\($0.host):\($0.port)" } ?? url
    }
}
