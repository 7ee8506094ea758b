public import Foundation
import Crypto
import SwiftASN1
import X509
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A certificate authority made on the spot and kept in memory: the simulator's HTTPS without
/// files to manage, and the private CA a test trusts.
///
/// Its key never leaves the process; only its certificate is handed out (as PEM), for a client
/// to trust the way a company's own CA is trusted: `AWS_CA_BUNDLE` or `aws.caBundle`.
public struct PrivateCertificateAuthority: Sendable {
    /// The CA's common name, as it appears in the certificates it issues.
    public let name: String
    /// The CA certificate, PEM-encoded.
    public let certificatePEM: String

    private let certificate: Certificate
    private let key: Certificate.PrivateKey

    /// A new CA, valid from a minute before `now` for `validity`.
    public init(name: String = "cognito-sync-watcher simulator CA", now: Date = Date(), validity: TimeInterval = 365 * 86_400) throws {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("cognito-sync-watcher")
            CommonName(name)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(validity),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(key)
        )
        self.name = name
        self.key = Certificate.PrivateKey(key)
        self.certificate = certificate
        self.certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
    }

    /// A server certificate for `names` (host names, IPv4 or IPv6 addresses), signed by this CA.
    ///
    /// - Parameters:
    ///   - notValidBefore, notValidAfter: the validity period; tests pass one in the past to
    ///     make an expired certificate.
    public func issueServerIdentity(
        for names: [String] = ["localhost", "127.0.0.1", "::1"],
        notValidBefore: Date = Date().addingTimeInterval(-60),
        notValidAfter: Date = Date().addingTimeInterval(365 * 86_400)
    ) throws -> TLSIdentity {
        let serverKey = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("cognito-sync-watcher")
            CommonName(names.first ?? "localhost")
        }
        let alternativeNames = names.map(Self.generalName)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(alternativeNames)
            AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier)
        }
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: notValidBefore, notValidAfter: notValidAfter,
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: key
        )
        return TLSIdentity(
            certificateChainPEM: try leaf.serializeAsPEM().pemString + "\n",
            privateKeyPEM: serverKey.pemRepresentation + "\n"
        )
    }

    /// An IP address entry for addresses, a DNS entry for everything else.
    private static func generalName(_ name: String) -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v4) { ArraySlice($0) }))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v6) { ArraySlice($0) }))
        }
        return .dnsName(name)
    }
}

/// A server's certificate chain and private key, PEM-encoded.
public struct TLSIdentity: Sendable {
    /// The server certificate first, then any intermediates.
    public var certificateChainPEM: String
    public var privateKeyPEM: String

    public init(certificateChainPEM: String, privateKeyPEM: String) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
    }
}
