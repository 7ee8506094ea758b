import NIOSSL

/// The simulator's HTTPS side: a server certificate chain and key, ready for its listener.
public struct SimulatorTLS: Sendable {
    let context: NIOSSLContext

    /// Serves `identity` (PEM text).
    public init(identity: TLSIdentity) throws(SimulatorTLSError) {
        try self.init(certificateChainPEM: Array(identity.certificateChainPEM.utf8), from: "the generated certificate",
                      privateKeyPEM: Array(identity.privateKeyPEM.utf8), from: "the generated key")
    }

    /// Serves a certificate chain and private key read from PEM files; the names say where
    /// they came from in error messages.
    public init(certificateChainPEM chainPEM: [UInt8], from chainSource: String, privateKeyPEM keyPEM: [UInt8], from keySource: String) throws(SimulatorTLSError) {
        let chain = (try? NIOSSLCertificate.fromPEMBytes(chainPEM)) ?? []
        guard !chain.isEmpty else {
            throw SimulatorTLSError(message: "\(chainSource) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw SimulatorTLSError(message: "\(keySource) holds no readable PEM private key (-----BEGIN PRIVATE KEY-----)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw SimulatorTLSError(message: "the private key in \(keySource) does not belong to the certificate in \(chainSource)")
        }
    }
}

/// Why the simulator cannot serve HTTPS with what it was given.
public struct SimulatorTLSError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
