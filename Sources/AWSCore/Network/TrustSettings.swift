import Foundation
import NIOSSL

/// Which certificate authorities a TLS connection trusts.
///
/// The system's store by default. A CA bundle (`aws.caBundle`, `AWS_CA_BUNDLE`, the profile's
/// `ca_bundle`) replaces it, as it does in botocore: with a bundle, only its certificates are
/// trusted. `SSL_CERT_FILE`, which OpenSSL-based tools read as the location of the system's
/// store, is honoured the same way when no bundle is set.
public struct TrustSettings: Sendable, Equatable, CustomStringConvertible {
    /// Where the trusted certificates come from.
    public enum Source: Sendable, Equatable {
        /// The operating system's store.
        case system
        /// A PEM file named by a setting.
        case bundle(path: String, setting: String)
    }

    public let source: Source
    /// The bundle's certificates, read once; empty for the system's store.
    let certificates: [NIOSSLCertificate]

    /// The operating system's store.
    public static let system = TrustSettings(source: .system, certificates: [])

    private init(source: Source, certificates: [NIOSSLCertificate]) {
        self.source = source
        self.certificates = certificates
    }

    /// Reads the PEM bundle at `path`, which `setting` named.
    ///
    /// - Throws: when the file is missing, unreadable, or holds no PEM certificate; the error
    ///   names the file and the setting.
    public static func bundle(at path: String, setting: String) throws(NetworkSettingsError) -> TrustSettings {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.contents(of: path, limit: 16 * 1024 * 1024)
        } catch {
            throw NetworkSettingsError(
                "the CA bundle \(path) (from \(setting)) \(error.reason)",
                fix: error.permissionDenied
                    ? "make it readable by the user the watcher runs as (under systemd's DynamicUser=, by everyone: chmod 644; a CA bundle holds no secret)"
                    : "point \(setting) at a PEM file of your CA's certificates",
                setting: setting)
        }
        return try pem(bytes, path: path, setting: setting)
    }

    /// Trusts the certificates in `bytes` (PEM) only, as if read from `path`: for a CA made in
    /// this process (the demo's, a test's).
    public static func pem(_ bytes: [UInt8], path: String, setting: String) throws(NetworkSettingsError) -> TrustSettings {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
        } catch {
            certificates = []
        }
        guard !certificates.isEmpty else {
            let looksDER = bytes.first == 0x30
            throw NetworkSettingsError(
                "the CA bundle \(path) (from \(setting)) holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                fix: looksDER
                    ? "it looks like a DER file; convert it: openssl x509 -inform der -in \(path) -out ca.pem"
                    : "point \(setting) at a PEM file of your CA's certificates",
                setting: setting)
        }
        return TrustSettings(source: .bundle(path: path, setting: setting), certificates: certificates)
    }

    /// How many certificates the bundle holds (0 for the system's store).
    public var certificateCount: Int { certificates.count }

    /// The system's CA file, as TLS connections find it; nil when this machine has none.
    public static let systemStorePath: String? = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Arch, Alpine
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL
    ].first { path in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// `the system store (/etc/ssl/certs/ca-certificates.crt)` or `/etc/corp-ca.pem (from AWS_CA_BUNDLE, 2 certificates)`.
    public var description: String {
        switch source {
        case .system:
            return "the system store (" + (Self.systemStorePath ?? "none found on this machine") + ")"
        case .bundle(let path, let setting):
            return "\(path) (from \(setting), \(certificates.count) certificate\(certificates.count == 1 ? "" : "s"))"
        }
    }

    /// The TLS settings every connection uses: full verification, host names included.
    var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if !certificates.isEmpty {
            configuration.trustRoots = .certificates(certificates)
        }
        return configuration
    }
}
