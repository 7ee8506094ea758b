@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import Foundation
import NetworkTestSupport
import Testing

/// botocore's rules for the credential endpoints and proxies: instance metadata goes through the
/// environment's proxy unless `NO_PROXY` covers it (the usual advice on proxied hosts); the
/// container endpoint never uses a proxy.
struct CredentialEndpointProxyTests {
    static func settings(proxy: ForwardProxy, noProxy: String? = nil) throws -> NetworkSettings {
        let proxies = ProxySettings(
            http: try ProxyServer(parsing: proxy.url, setting: "HTTP_PROXY"), noProxy: noProxy.map { NoProxyList($0, setting: "NO_PROXY") })
        return NetworkSettings(environmentProxies: proxies)
    }

    @Test func instanceMetadataFollowsTheEnvironmentsProxy() async throws {
        let server = try await InstanceMetadataCredentialProviderTests.metadataService()
        let proxy = try await ForwardProxy.start()
        let credentials = try await HTTPTransport.with(settings: try Self.settings(proxy: proxy)) { transport in
            try await InstanceMetadataCredentialProvider(
                environment: InstanceMetadataCredentialProviderTests.patient, transport: transport, endpoint: server.baseURL, now: { InstanceMetadataCredentialProviderTests.clock.now }
            ).credentials()
        }
        #expect(credentials.accessKeyID == "AKIDIMDS")
        #expect(!proxy.requests.isEmpty && proxy.requests.allSatisfy { $0.target == server.baseURL.replacing("http://", with: "") })
        await proxy.shutdown()
        try await server.shutdown()
    }

    @Test func noProxyLetsInstanceMetadataGoDirect() async throws {
        let server = try await InstanceMetadataCredentialProviderTests.metadataService()
        let proxy = try await ForwardProxy.start()
        let credentials = try await HTTPTransport.with(settings: try Self.settings(proxy: proxy, noProxy: "169.254.169.254,127.0.0.1")) { transport in
            try await InstanceMetadataCredentialProvider(
                environment: InstanceMetadataCredentialProviderTests.patient, transport: transport, endpoint: server.baseURL, now: { InstanceMetadataCredentialProviderTests.clock.now }
            ).credentials()
        }
        #expect(credentials.accessKeyID == "AKIDIMDS")
        #expect(proxy.requests.isEmpty)
        await proxy.shutdown()
        try await server.shutdown()
    }

    @Test func theContainerEndpointIgnoresProxies() async throws {
        let server = try await LoopbackHTTPServer { _ in
            .ok(#"{"AccessKeyId": "AKIDCONTAINER", "SecretAccessKey": "s", "Token": "t", "Expiration": "2030-01-01T00:00:00Z"}"#)
        }
        let proxy = try await ForwardProxy.start()
        let credentials = try await HTTPTransport.with(settings: try Self.settings(proxy: proxy)) { transport in
            try await ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"], transport: transport, baseURL: server.baseURL
            ).credentials()
        }
        #expect(credentials.accessKeyID == "AKIDCONTAINER")
        #expect(proxy.requests.isEmpty)
        await proxy.shutdown()
        try await server.shutdown()
    }
}
