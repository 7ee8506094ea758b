public import AWSCore
import AWSClient
import AWSCredentialProviders
import Foundation
public import NIOSSL
public import Simulator

/// The private CA the tests trust, and the server identities it signs, made once per process.
public enum TestTLS {
    /// The CA every HTTPS test server's certificate comes from.
    public static let authority: PrivateCertificateAuthority = {
        do {
            return try PrivateCertificateAuthority(name: "cognito-sync-watcher test CA")
        } catch {
            preconditionFailure("cannot make the test CA: \(error)")
        }
    }()

    /// A certificate for localhost, 127.0.0.1 and ::1, valid now.
    public static let serverIdentity: TLSIdentity = identity { try authority.issueServerIdentity() }

    /// The server's TLS settings for ``serverIdentity``.
    public static let server: SimulatorTLS = {
        do {
            return try SimulatorTLS(identity: serverIdentity)
        } catch {
            preconditionFailure("cannot load the test certificate: \(error)")
        }
    }()

    /// A client trusting the test CA only, as `AWS_CA_BUNDLE` would make it.
    public static let trust: TrustSettings = {
        do {
            return try TrustSettings.pem(Array(authority.certificatePEM.utf8), path: "the test CA", setting: "tests")
        } catch {
            preconditionFailure("cannot trust the test CA: \(error)")
        }
    }()

    /// A TLS client context trusting the test CA only, for tests that speak HTTP themselves.
    public static let clientContext: NIOSSLContext = {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(authority.certificatePEM.utf8)))
            return try NIOSSLContext(configuration: configuration)
        } catch {
            preconditionFailure("cannot make a TLS context trusting the test CA: \(error)")
        }
    }()

    /// Network settings trusting the test CA, with no proxy.
    public static let network = NetworkSettings(trust: trust)

    /// Server TLS made from an identity the test CA issues, for the error cases: an expired
    /// certificate, one for other names.
    public static func server(_ make: () throws -> TLSIdentity) -> SimulatorTLS {
        do {
            return try SimulatorTLS(identity: make())
        } catch {
            preconditionFailure("cannot make a test certificate: \(error)")
        }
    }

    /// The test CA's certificate in a file, for a process started by a test (`AWS_CA_BUNDLE`).
    public static let caFile: String = {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("cognito-sync-watcher-test-ca-\(getpid()).pem").path
        guard FileManager.default.createFile(atPath: path, contents: Data(authority.certificatePEM.utf8)) else {
            preconditionFailure("cannot write the test CA to \(path)")
        }
        return path
    }()

    private static func identity(_ make: () throws -> TLSIdentity) -> TLSIdentity {
        do {
            return try make()
        } catch {
            preconditionFailure("cannot make a test certificate: \(error)")
        }
    }
}

extension HTTPTransport {
    /// A transport with the system's CAs and no proxy, shared by the tests that need one
    /// without caring about its settings (credential endpoints on loopback).
    public static let shared = HTTPTransport()
}

extension HTTPTransport {
    /// Runs `body` with a transport on `settings`, and shuts it down however `body` ends: a
    /// transport released without a shutdown stops the test process (the HTTP client insists in
    /// debug builds), so one failing test would take every other with it.
    public static func with<T>(
        settings: NetworkSettings = .direct, _ body: (HTTPTransport) async throws -> T
    ) async throws -> T {
        let transport = HTTPTransport(settings: settings)
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(transport))
        } catch {
            outcome = .failure(error)
        }
        await transport.shutdown()
        return try outcome.get()
    }
}
