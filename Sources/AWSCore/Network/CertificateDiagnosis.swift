package import Foundation
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// Says why an endpoint's certificate was refused: expired, not valid yet, for other names, or
/// issued by a CA that is not trusted (and which one).
///
/// The TLS library reports only that verification failed. To tell the causes apart, a second
/// connection (through the same proxy, if any) looks at the chain the server presents without
/// trusting it, and reads its dates, names and issuer. This happens only after a refusal, and
/// its finding is kept for a minute, so a thousand pools behind one bad certificate cost one look.
package enum CertificateDiagnosis {
    /// `failure` made precise, or unchanged when the chain cannot be seen.
    package static func refine(
        _ failure: ConnectionFailure, host: String, port: Int, transport: HTTPTransport, now: Date = Date()
    ) async -> ConnectionFailure {
        let key = "\(failure.endpoint) \(failure.proxy.map { "\($0)" } ?? "direct")"
        if let cached = transport.diagnoses.finding(for: key, now: now) { return cached }
        let chain = await peerChain(
            host: host, port: port, proxy: failure.proxy, group: transport.group, timeout: .seconds(5))
        let refined = explain(failure, chain: chain, now: now)
        transport.diagnoses.keep(refined, for: key, now: now)
        return refined
    }

    /// The cause the chain shows; pure, for tests.
    static func explain(_ failure: ConnectionFailure, chain: [Certificate], now: Date) -> ConnectionFailure {
        guard let leaf = chain.first else { return failure }
        var refined = failure
        for certificate in chain {
            let subject = name(certificate.subject)
            if now > certificate.notValidAfter {
                refined.cause = .certificateExpired(subject: subject, on: certificate.notValidAfter, now: now)
                return refined
            }
            if now < certificate.notValidBefore {
                refined.cause = .certificateNotYetValid(subject: subject, from: certificate.notValidBefore, now: now)
                return refined
            }
        }
        if case .certificateNameMismatch = failure.cause {
            refined.cause = .certificateNameMismatch(names: names(of: leaf))
            return refined
        }
        let top = chain[chain.count - 1]
        refined.cause = .certificateUntrusted(issuer: name(top.issuer))
        return refined
    }

    /// The DNS names and IP addresses a certificate is for (its common name when it has none).
    static func names(of certificate: Certificate) -> [String] {
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                switch name {
                case .dnsName(let dns): names.append(dns)
                case .ipAddress(let octets): names.append(ipAddress(Array(octets.bytes)))
                default: break
                }
            }
        }
        if names.isEmpty {
            names = certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }.map { "\($0.value)" }
        }
        return names
    }

    /// A distinguished name as `CN=…, O=…`, most specific part first.
    private static func name(_ distinguishedName: DistinguishedName) -> String {
        ServiceErrorText.excerpt(distinguishedName.description, limit: 160)
    }

    private static func ipAddress(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return "?" }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: - Looking at the chain

    /// The chain the server presents, read without trusting it; empty when it cannot be seen.
    private static func peerChain(
        host: String, port: Int, proxy: ProxyServer?, group: any EventLoopGroup, timeout: TimeAmount
    ) async -> [Certificate] {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        guard let context = try? NIOSSLContext(configuration: configuration) else { return [] }
        let eventLoop = group.next()
        let captured = eventLoop.makePromise(of: [NIOSSLCertificate].self)
        let deadline = NIODeadline.now() + timeout
        let serverName = isIPAddress(host) ? nil : host
        // At the front of the pipeline: the handshake goes straight to the socket, whatever the
        // CONNECT exchange left behind it.
        let addTLS: @Sendable (any Channel) throws -> Void = { channel in
            let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, verdict in
                captured.succeed(certificates)
                verdict.succeed(NIOSSLVerificationResult.failed)
            }
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }
        let tunnel = eventLoop.makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let proxy {
                        var headers = HTTPHeaders()
                        if let authorization = proxy.basicAuthorization {
                            headers.add(name: "Proxy-Authorization", value: authorization)
                        }
                        try channel.pipeline.syncOperations.addHandler(HTTPRequestEncoder(), name: "diagnosis-encoder")
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)), name: "diagnosis-decoder")
                        try channel.pipeline.syncOperations.addHandler(
                            NIOHTTP1ProxyConnectHandler(targetHost: host, targetPort: port, headers: headers, deadline: deadline, promise: tunnel),
                            name: "diagnosis-proxy")
                    } else {
                        tunnel.succeed()
                        try addTLS(channel)
                    }
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: proxy?.host ?? host, port: proxy?.port ?? port).get()
        } catch {
            tunnel.fail(error)
            captured.fail(error)
            return []
        }
        defer { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in captured.fail(ChannelError.ioOnClosedChannel) }
        let timer = eventLoop.scheduleTask(deadline: deadline) { captured.fail(ChannelError.connectTimeout(timeout)) }
        defer { timer.cancel() }
        do {
            try await tunnel.futureResult.get()
            if proxy != nil {
                try await eventLoop.submit {
                    try addTLS(channel)
                    let pipeline = channel.pipeline.syncOperations
                    for name in ["diagnosis-proxy", "diagnosis-decoder", "diagnosis-encoder"] {
                        pipeline.removeHandler(name: name, promise: nil)
                    }
                }.get()
            }
            let certificates = try await captured.futureResult.get()
            return certificates.compactMap { try? Certificate(derEncoded: $0.toDERBytes()) }
        } catch {
            return []
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

/// What diagnoses found, per endpoint and route, for a minute.
final class CertificateDiagnosisCache: Sendable {
    private static let lifetime: TimeInterval = 60
    private let findings = Mutex<[String: (failure: ConnectionFailure, at: Date)]>([:])

    func finding(for key: String, now: Date) -> ConnectionFailure? {
        findings.withLock { findings in
            guard let entry = findings[key], now.timeIntervalSince(entry.at) < Self.lifetime else { return nil }
            return entry.failure
        }
    }

    func keep(_ failure: ConnectionFailure, for key: String, now: Date) {
        findings.withLock { findings in
            findings = findings.filter { now.timeIntervalSince($0.value.at) < Self.lifetime }
            findings[key] = (failure, now)
        }
    }
}
