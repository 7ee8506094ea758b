public import Foundation
import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// Why a connection to an endpoint failed, in plain words: the host, what went wrong, and the
/// fix. The HTTP and TLS libraries' own errors are mapped to these; their detail goes only to
/// debug logs.
///
/// Faults that waiting cannot mend (a certificate that is not trusted, expired, or for another
/// host; a proxy that is down, refuses the tunnel or wants a password) are *lasting*: they are
/// not retried, and a command fails at once. A refused or reset connection to the endpoint
/// itself, or a timeout, is transient.
public struct ConnectionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Cause: Sendable, Equatable {
        /// The certificate chain does not lead to a trusted CA; the issuer of its top, if known.
        case certificateUntrusted(issuer: String?)
        /// A certificate of the chain expired.
        case certificateExpired(subject: String, on: Date, now: Date)
        /// A certificate of the chain is not valid yet (often: this machine's clock is behind).
        case certificateNotYetValid(subject: String, from: Date, now: Date)
        /// The certificate is for other names; the ones it has, if known.
        case certificateNameMismatch(names: [String])
        /// Verification failed and no diagnosis was possible.
        case certificateRejected
        /// The TLS handshake failed for a reason other than the certificate.
        case tlsHandshakeFailed
        /// The endpoint answered, but not with TLS.
        case notTLS
        /// The trusted CAs could not be loaded into the TLS library.
        case trustStoreUnusable
        /// The proxy could not be reached: refused, unknown host, or no answer.
        case proxyUnreachable(String)
        /// The proxy answered 407.
        case proxyAuthenticationRequired
        /// The proxy answered the CONNECT request with something other than 200.
        case proxyRefusedTunnel
        /// The proxy did not answer the CONNECT request in time.
        case proxyTimedOut
        /// The endpoint refused the connection.
        case refused
        /// The endpoint's host name does not resolve.
        case unresolvable
        /// Connecting took longer than allowed.
        case connectTimedOut
        /// The connection was closed or reset before the answer came.
        case closed
        /// Anything else, described briefly.
        case other(String)
    }

    public var cause: Cause
    /// `host:port` of the endpoint.
    public var endpoint: String
    /// The proxy the connection went through, if any.
    public var proxy: ProxyServer?
    /// The trusted CAs, as ``TrustSettings/description`` puts them.
    public var trust: String
    /// Whether the setting at fault names a bundle (the fix differs).
    public var trustIsBundle: Bool

    public init(_ cause: Cause, endpoint: String, proxy: ProxyServer?, trust: TrustSettings) {
        self.cause = cause
        self.endpoint = endpoint
        self.proxy = proxy
        self.trust = trust.description
        if case .bundle = trust.source { trustIsBundle = true } else { trustIsBundle = false }
    }

    /// Whether waiting cannot mend it: someone has to act.
    public var isLasting: Bool {
        switch cause {
        case .refused, .unresolvable, .connectTimedOut, .closed, .other: false
        default: true
        }
    }

    /// Whether the certificate check failed in a way a diagnosis can explain.
    package var needsDiagnosis: Bool {
        switch cause {
        case .certificateRejected, .certificateNameMismatch(names: []): true
        default: false
        }
    }

    /// A short code for journal fields and metrics.
    public var code: String {
        switch cause {
        case .certificateUntrusted: "CertificateUntrusted"
        case .certificateExpired: "CertificateExpired"
        case .certificateNotYetValid: "CertificateNotYetValid"
        case .certificateNameMismatch: "CertificateNameMismatch"
        case .certificateRejected: "CertificateRejected"
        case .tlsHandshakeFailed: "TLSHandshakeFailed"
        case .notTLS: "NotTLS"
        case .trustStoreUnusable: "TrustStoreUnusable"
        case .proxyUnreachable: "ProxyUnreachable"
        case .proxyAuthenticationRequired: "ProxyAuthenticationRequired"
        case .proxyRefusedTunnel: "ProxyRefusedTunnel"
        case .proxyTimedOut: "ProxyTimeout"
        case .refused, .unresolvable, .connectTimedOut, .closed, .other: "ConnectionError"
        }
    }

    /// One line: the host, what went wrong, and the fix.
    public var message: String {
        let caFix = trustIsBundle
            ? "add the certificate of the CA that issued it to the bundle, or point the setting at the right bundle"
            : "if it comes from your own CA or a TLS-inspecting proxy, set AWS_CA_BUNDLE or aws.caBundle to that CA's PEM file"
        switch cause {
        case .certificateUntrusted(let issuer):
            let by = issuer.map { "is issued by '\($0)', a CA that is not trusted here" } ?? "is not signed by a trusted CA"
            return "the certificate of \(endpoint) \(by) (trusted: \(trust)); \(caFix)"
        case .certificateExpired(let subject, let date, let now):
            return "the certificate of \(endpoint) ('\(subject)') expired on \(Self.format(date)); the server must renew it "
                + "(or this machine's clock is wrong: it reads \(Self.format(now)))"
        case .certificateNotYetValid(let subject, let date, let now):
            return "the certificate of \(endpoint) ('\(subject)') is valid only from \(Self.format(date)), and this machine's clock "
                + "reads \(Self.format(now)); set the clock right (timedatectl, chrony)"
        case .certificateNameMismatch(let names):
            let host = Self.host(of: endpoint)
            let listed = names.isEmpty ? "other names" : names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            return "the certificate of \(endpoint) is for \(listed), not for \(host); use an endpoint URL with one of the certificate's names"
        case .certificateRejected:
            return "the certificate of \(endpoint) could not be verified (trusted: \(trust)); \(caFix)"
        case .tlsHandshakeFailed:
            return "the TLS handshake with \(endpoint) failed (no protocol version or cipher both sides accept, or the server ended it); "
                + "check that the endpoint URL points at an HTTPS service"
        case .notTLS:
            return "\(endpoint) did not answer in TLS; if it serves plain HTTP (a local simulator), use an http:// endpoint URL"
        case .trustStoreUnusable:
            return "the trusted CAs (\(trust)) could not be loaded for the connection to \(endpoint); "
                + "install the ca-certificates package, or set AWS_CA_BUNDLE or aws.caBundle to a PEM file"
        case .proxyUnreachable(let why):
            return "cannot connect to the proxy \(proxyText) for \(endpoint): \(why); check the proxy's address, "
                + "or list \(Self.host(of: endpoint)) in NO_PROXY to go direct"
        case .proxyAuthenticationRequired:
            let fix = proxy?.username == nil
                ? "put a user name and password in the proxy URL, e.g. http://USER:PASSWORD@host:port (percent-encode '@', ':' and '%' in them)"
                : "check the user name and password in the proxy URL"
            return "the proxy \(proxyText) refused to open a tunnel to \(endpoint) without valid credentials (407 Proxy Authentication Required); \(fix)"
        case .proxyRefusedTunnel:
            return "the proxy \(proxyText) refused to open a tunnel to \(endpoint); check that its rules allow this host and port, "
                + "or list \(Self.host(of: endpoint)) in NO_PROXY to go direct"
        case .proxyTimedOut:
            return "the proxy \(proxyText) did not answer the request for a tunnel to \(endpoint) in time; check the proxy"
        case .refused:
            return "\(endpoint) refused the connection\(directHint)"
        case .unresolvable:
            return "the host name of \(endpoint) does not resolve\(directHint)"
        case .connectTimedOut:
            return proxy == nil ? "connecting to \(endpoint) timed out\(directHint)" : "connecting to \(endpoint) through the proxy \(proxyText) timed out"
        case .closed:
            return "the connection to \(endpoint) was closed before the answer came"
        case .other(let detail):
            return "the connection to \(endpoint) failed: \(detail)"
        }
    }

    public var description: String { "\(code): \(message)" }

    private var proxyText: String {
        proxy.map { "\($0.address) (from \($0.setting))" } ?? "?"
    }

    /// For direct connections to a non-loopback host: a proxy may be the missing piece.
    private var directHint: String {
        guard proxy == nil else { return "" }
        let host = Self.host(of: endpoint)
        if host == "localhost" || host.hasPrefix("127.") || host == "[::1]" { return "" }
        return "; if this machine reaches AWS only through a proxy, set HTTPS_PROXY or aws.proxy"
    }

    private static func host(of endpoint: String) -> String {
        if endpoint.hasPrefix("["), let close = endpoint.firstIndex(of: "]") {
            return String(endpoint[...close])
        }
        return endpoint.split(separator: ":").first.map(String.init) ?? endpoint
    }

    private static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    // MARK: - From the libraries' errors

    /// The failure `error` stands for, or nil when it is not about the connection (a
    /// cancellation, a timeout of the whole request).
    package static func classify(_ error: any Error, endpoint: String, proxy: ProxyServer?, trust: TrustSettings) -> ConnectionFailure? {
        guard let cause = cause(of: error, throughProxy: proxy != nil) else { return nil }
        return ConnectionFailure(cause, endpoint: endpoint, proxy: proxy, trust: trust)
    }

    private static func cause(of error: any Error, throughProxy: Bool) -> Cause? {
        if let error = error as? NIOSSLExtraError {
            return error == .failedToValidateHostname ? .certificateNameMismatch(names: []) : .tlsHandshakeFailed
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .handshakeFailed(let boringError):
                return cause(ofHandshake: boringError)
            case .uncleanShutdown:
                return .closed
            default:
                return .tlsHandshakeFailed
            }
        }
        if error is BoringSSLError {
            // Raised while building the TLS context from the trusted CAs.
            return .trustStoreUnusable
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .proxyAuthenticationRequired: return .proxyAuthenticationRequired
            case .invalidProxyResponse: return .proxyRefusedTunnel
            case .httpProxyHandshakeTimeout: return .proxyTimedOut
            case .connectTimeout: return throughProxy ? .proxyUnreachable("no answer within the connect timeout") : .connectTimedOut
            case .remoteConnectionClosed: return .closed
            default: return nil
            }
        }
        if let error = error as? NIOConnectionError {
            let reason: Cause
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                reason = .unresolvable
            } else if error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                reason = .refused
            } else {
                reason = .other("could not connect")
            }
            guard throughProxy else { return reason }
            switch reason {
            case .unresolvable: return .proxyUnreachable("its host name does not resolve")
            case .refused: return .proxyUnreachable("connection refused")
            default: return .proxyUnreachable("could not connect")
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return throughProxy ? .proxyUnreachable("no answer within the connect timeout") : .connectTimedOut
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed: return .closed
            default: return .other("the connection failed")
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return throughProxy ? .proxyUnreachable("connection refused") : .refused
            case ECONNRESET, EPIPE: return .closed
            default: return .other(String(cString: strerror(error.errnoCode)))
            }
        }
        if error is SocketAddressError {
            return throughProxy ? .proxyUnreachable("its host name does not resolve") : .unresolvable
        }
        return .other("the connection failed")
    }

    /// BoringSSL names the reason in its error queue: `CERTIFICATE_VERIFY_FAILED`,
    /// `WRONG_VERSION_NUMBER` (the other side does not speak TLS)…
    private static func cause(ofHandshake error: BoringSSLError) -> Cause {
        let text: String
        switch error {
        case .sslError(let stack), .unknownError(let stack): text = stack.map(\.description).joined(separator: " ")
        default: return .tlsHandshakeFailed
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return .certificateRejected }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("RECORD_TOO_LARGE") { return .notTLS }
        return .tlsHandshakeFailed
    }
}
