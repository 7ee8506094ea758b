public import AWSCore
public import AWSCredentialProviders
import AsyncHTTPClient
public import Foundation
public import Logging
public import Model
import AWSSigning
import CoreMetrics
import NIOCore
import NIOHTTP1
import Synchronization

/// The two Cognito Sync operations the watcher needs, over one shared HTTP connection pool.
///
/// Each call is signed with SigV4 exactly as botocore signs it, retried in AWS's standard mode,
/// and its errors are parsed as rest-json. The client is safe to use from many tasks at once.
public final class CognitoSyncClient: Sendable {
    /// The SigV4 signing name of the service.
    public static let signingName = "cognito-sync"

    private let transport: HTTPTransport
    private let credentials: any CredentialProvider
    /// `credentials` when it caches: read without a hop to its actor while the keys are fresh.
    private let refreshing: RefreshingCredentials?
    private let configuration: CognitoSyncClientConfiguration
    private let retryStrategy: StandardRetryStrategy
    private let targets = Mutex<[String: RegionTarget]>([:])
    private let signingKeys = SigV4SigningKeyCache()
    /// How far the service's clock is ahead of this machine's, in milliseconds, as learnt from an
    /// answer that refused the signing time; added to every signing time.
    private let clockOffsetMilliseconds = Atomic<Int64>(0)
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - transport: the connection pools, shared by every call, so connections are kept alive
    ///     across polls; the caller owns its lifecycle.
    ///   - credentials: usually a ``RefreshingCredentials`` over the default chain.
    ///   - retryStrategy: the retry settings; each region gets a quota of its own of the same
    ///     capacity (``StandardRetryStrategy/withOwnQuota()``).
    ///   - now: the clock used for signing.
    ///   - sleep: waits between retries; tests pass one that records instead of waiting.
    public init(
        transport: HTTPTransport,
        credentials: any CredentialProvider,
        configuration: CognitoSyncClientConfiguration,
        retryStrategy: StandardRetryStrategy? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping Sleep = taskSleep,
        logger: Logger = Logger(label: BuildInfo.name + ".aws")
    ) {
        self.transport = transport
        self.credentials = credentials
        self.refreshing = credentials as? RefreshingCredentials
        self.configuration = configuration
        self.retryStrategy = retryStrategy ?? StandardRetryStrategy(maxAttempts: configuration.maxAttempts)
        self.now = now
        self.sleep = sleep
        self.logger = logger
    }

    /// `GetBulkPublishDetails`: the status of the pool's last bulk publish.
    public func bulkPublishDetails(for pool: IdentityPoolID, region: String) async throws(CognitoSyncError) -> BulkPublishDetails {
        let body = try await call("getBulkPublishDetails", pool: pool, region: region)
        return try Self.decodeDetails(body, for: pool)
    }

    /// Reads a successful `GetBulkPublishDetails` answer about `pool`; anything else in the body
    /// is a ``CognitoSyncError`` that says, briefly, what was wrong with it.
    static func decodeDetails(_ body: [UInt8], for pool: IdentityPoolID) throws(CognitoSyncError) -> BulkPublishDetails {
        let details: BulkPublishDetails
        do {
            details = try JSONDecoder().decode(BulkPublishDetails.self, from: Data(body))
        } catch {
            throw CognitoSyncError(.malformedResponse(describe(decodingError: error, body: body)))
        }
        if let reported = details.identityPoolID, reported != pool.rawValue {
            throw CognitoSyncError(.malformedResponse("the response is for pool '\(ServiceErrorText.excerpt(reported, limit: 80))', not \(pool)"))
        }
        return details
    }

    /// `BulkPublish`: asks the service to start a bulk publish of the pool.
    public func startBulkPublish(for pool: IdentityPoolID, region: String) async throws(CognitoSyncError) {
        _ = try await call("bulkpublish", pool: pool, region: region)
    }

    /// The endpoint a region's calls go to; resolved once per region.
    public func endpoint(for region: String) throws(CognitoSyncError) -> ResolvedEndpoint {
        try target(for: region).request.endpoint
    }

    private func target(for region: String) throws(CognitoSyncError) -> RegionTarget {
        if let cached = targets.withLock({ $0[region] }) { return cached }
        let resolved: ResolvedEndpoint
        do {
            var settings = configuration.endpoint
            // An explicit endpoint beats anything a profile says, so a profile is then not read
            // (a broken config file cannot stop a client pointed at a simulator).
            if let profile = configuration.profile, settings.endpointURL == nil {
                settings.profile = try Self.endpointSettings(ofProfile: profile, environment: configuration.environment)
            }
            resolved = try EndpointResolver.cognitoSync.resolve(
                region: region, settings: settings, environment: configuration.environment
            )
        } catch {
            throw CognitoSyncError(.endpoint(error.message))
        }
        guard let request = RequestTarget(resolved) else {
            throw CognitoSyncError(.endpoint("the endpoint \(resolved.url.absoluteString) has no host to send requests to"))
        }
        let target = RegionTarget(
            request: request, route: transport.route(to: resolved.url), retry: retryStrategy.withOwnQuota(),
            metrics: configuration.metricsFactory.map { RegionMetrics(region: region, factory: $0) })
        targets.withLock { $0[region] = target }
        return target
    }

    /// The profile's endpoint settings, from the shared config file as it is now.
    private static func endpointSettings(
        ofProfile profile: String, environment: [String: String]
    ) throws(EndpointConfigurationError) -> ProfileEndpointSettings? {
        let profiles: SharedProfiles
        do {
            profiles = try SharedProfiles.load(SharedFileLocations(environment: environment), source: "the shared config")
        } catch {
            throw EndpointConfigurationError(.invalidEndpointURL, error.message)
        }
        return try ProfileEndpointSettings.read(profile: profile, from: profiles)
    }

    // MARK: - One call, with retries

    private func call(_ operation: String, pool: IdentityPoolID, region: String) async throws(CognitoSyncError) -> [UInt8] {
        let target = try target(for: region)
        var state = RetryState()
        var attempts = 0
        var refreshedExpiredCredentials = false
        var correctedClock = false
        while true {
            attempts += 1
            let failure: AttemptError
            do {
                let body = try await attempt(operation, pool: pool, target: target)
                target.retry.recordSuccess(state)
                return body
            } catch {
                failure = error
            }
            if case .credentials(let message, let transient) = failure {
                throw CognitoSyncError(transient ? .credentialsUnavailable(message) : .credentials(message), attempts: attempts)
            }
            if case .service(let error) = failure, !correctedClock, correctClock(after: error, target: target) {
                // The signing time was refused and the service's clock says why: sign with its
                // time and try again at once, as the AWS SDKs for Java and JavaScript do.
                correctedClock = true
                target.metrics?.retries.increment()
                continue
            }
            if case .service(let error) = failure, error.category == .authentication, !refreshedExpiredCredentials,
               let refreshing {
                // Expired or rejected credentials: the cache may hold keys that were rotated or
                // a token that expired early. Fetch them again once and retry.
                refreshedExpiredCredentials = true
                await refreshing.invalidate()
                target.metrics?.retries.increment()
                continue
            }
            switch target.retry.decision(after: failure.attemptFailure, state: &state) {
            case .retry(let delay):
                logger.debug("retrying", metadata: [
                    "operation": "\(operation)", "pool": "\(pool)", "attempt": "\(attempts + 1)",
                    "error": "\(failure.reason.map { CognitoSyncError($0).code } ?? "cancelled")", "delay": "\(delay)",
                ])
                do {
                    try await sleep(delay)
                } catch {
                    throw CognitoSyncError(failure.reason ?? .cancelled, attempts: attempts)
                }
                target.metrics?.retries.increment()
            case .giveUp:
                throw CognitoSyncError(failure.reason ?? .cancelled, attempts: attempts)
            }
        }
    }

    private func attempt(_ operation: String, pool: IdentityPoolID, target regionTarget: RegionTarget) async throws(AttemptError) -> [UInt8] {
        let target = regionTarget.request
        let credentials: AWSCredentials
        do {
            if let cached = refreshing?.unexpiredCredentials {
                credentials = cached
            } else {
                credentials = try await self.credentials.credentials()
            }
        } catch let error as CredentialError {
            throw .credentials(String(describing: error), transient: error.mayRecoverByItself)
        } catch is CancellationError {
            // The poll was given up while it waited for credentials (the daemon is stopping).
            throw .cancelled
        } catch {
            throw .credentials(String(describing: error), transient: false)
        }
        let path = "/identitypools/\(AWSURIEncoding.encodePathLabel(pool.rawValue))/\(operation)"
        guard let (url, unsigned) = target.request(method: "POST", path: path) else {
            throw .credentials("the endpoint \(target.urlPrefix) does not form a request URL", transient: false)
        }
        let signer = SigV4Signer(service: Self.signingName, region: target.endpoint.signingRegion, keyCache: signingKeys)
        let signed = signer.sign(unsigned, credentials: credentials, date: now().addingTimeInterval(clockOffset))

        var headers = HTTPHeaders()
        for header in signed.headers {
            headers.add(name: header.name, value: header.value)
        }
        headers.add(name: "User-Agent", value: configuration.userAgent)
        headers.add(name: "Content-Length", value: "0")

        do {
            let request = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .byteBuffer(ByteBuffer()))
            // The HTTP client tags its logger with metadata on every request; that costs a poll
            // measurable time and says nothing unless someone reads its trace and debug lines.
            let httpLogger = logger.logLevel <= .debug ? logger : nil
            // The callback API of the HTTP client: the body is gathered on the event loop and the
            // poll resumes once, with the whole answer.
            let collector = ResponseAccumulator(request: request, maxBodySize: configuration.maxResponseBytes)
            let started = regionTarget.metrics.map { _ in ContinuousClock.now }
            let execution = regionTarget.route.client.execute(
                request: request, delegate: collector, eventLoop: .indifferent,
                deadline: .now() + TimeAmount(configuration.requestTimeout), logger: httpLogger)
            let response = try await withTaskCancellationHandler {
                try await execution.futureResult.get()
            } onCancel: {
                execution.cancel()
            }
            if let started { regionTarget.metrics?.requestDuration.recordNanoseconds(TimeAmount(started.duration(to: .now)).nanoseconds) }
            let bytes = response.body.map { Array($0.readableBytesView) } ?? []
            guard (200..<300).contains(Int(response.status.code)) else {
                let headers = response.headers.map { (name: $0.name, value: $0.value) }
                throw AttemptError.service(RestJSONErrorParser.parse(statusCode: Int(response.status.code), headers: headers, body: bytes))
            }
            return bytes
        } catch let error as AttemptError {
            throw error
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw .tooLarge(limit: configuration.maxResponseBytes)
        } catch is CancellationError {
            throw .cancelled
        } catch let error as HTTPClientError where error == .cancelled {
            throw .cancelled
        } catch let error as HTTPClientError where Self.isTimeout(error) {
            throw .timeout
        } catch {
            throw .connection(await connectionFailure(error, target: regionTarget))
        }
    }

    /// The clock offset in force, in seconds.
    private var clockOffset: TimeInterval {
        TimeInterval(clockOffsetMilliseconds.load(ordering: .relaxed)) / 1000
    }

    /// A skew smaller than this is left alone: AWS accepts signing times within 5 minutes of its
    /// own, and the SDK for Java corrects from 4.
    static let correctableSkew: TimeInterval = 4 * 60

    /// After an answer that may refuse the signing time: when its `Date` is as far from the time
    /// requests are signed with as to explain that, sign with the service's time from now on, say
    /// so, and return true. A clock set right later is noticed the same way, and the correction dropped.
    private func correctClock(after error: AWSServiceError, target: RegionTarget) -> Bool {
        guard error.mayBeClockSkew, let serverDate = error.serverDate else { return false }
        let skew = serverDate.timeIntervalSince(now())
        guard abs(skew - clockOffset) >= Self.correctableSkew else { return false }
        let correction = abs(skew) >= Self.correctableSkew ? skew : 0
        clockOffsetMilliseconds.store(Int64((correction * 1000).rounded()), ordering: .relaxed)
        if correction == 0 {
            logger.notice("this machine's clock agrees with AWS's again; requests are signed with its own time")
        } else {
            logger.warning("""
                this machine's clock is \(EventText.duration(abs(skew))) \(skew > 0 ? "behind" : "ahead of") AWS's \
                (\(target.endpointAddress) answered \(error.code) with the time \(EventText.timestamp(serverDate))); requests are \
                signed with AWS's time from now on; set this machine's clock right (timedatectl, chrony)
                """)
        }
        return true
    }

    /// Timeouts of the whole request or of reading its answer; a connect timeout is a
    /// connection failure, told apart by route.
    private static func isTimeout(_ error: HTTPClientError) -> Bool {
        [HTTPClientError.deadlineExceeded, .readTimeout, .writeTimeout].contains(error)
    }

    /// The library's error in plain words, made precise by a look at the certificate when
    /// verification failed. The library's own words go to the debug log only.
    private func connectionFailure(_ error: any Error, target: RegionTarget) async -> ConnectionFailure {
        logger.debug("connection failed", metadata: ["endpoint": "\(target.endpointAddress)", "detail": "\(String(reflecting: error))"])
        let failure = ConnectionFailure.classify(error, endpoint: target.endpointAddress, proxy: target.route.proxy, trust: transport.settings.trust)
            ?? ConnectionFailure(.other("the connection failed"), endpoint: target.endpointAddress, proxy: target.route.proxy, trust: transport.settings.trust)
        guard failure.needsDiagnosis else { return failure }
        return await CertificateDiagnosis.refine(failure, host: target.host, port: target.port, transport: transport)
    }

    private static func describe(decodingError error: any Error, body: [UInt8]) -> String {
        if body.isEmpty { return "the body is empty" }
        if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty {
            return "the body is not JSON: '\(ServiceErrorText.bodyExcerpt(body, limit: 80))'"
        }
        let field: String
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.dataCorrupted(let context),
             DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            field = context.codingPath.map(\.stringValue).joined(separator: ".")
        default:
            field = "?"
        }
        return "field '\(field)' has an unexpected value"
    }
}

/// A region's endpoint, the way out to it, and its retry quota.
private struct RegionTarget: Sendable {
    let request: RequestTarget
    let route: Route
    /// The client's strategy with the region's own quota: throttling or an outage in one region
    /// must not use up the retries of the others (botocore: one quota per client, one region
    /// per client).
    let retry: StandardRetryStrategy
    /// The region's request duration and retries, when metrics are recorded.
    let metrics: RegionMetrics?

    var host: String { request.endpoint.url.host ?? "" }
    var port: Int { request.endpoint.url.port ?? (request.endpoint.url.scheme == "http" ? 80 : 443) }
    /// `host:port`, for messages.
    var endpointAddress: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
}

/// A region's request metrics.
struct RegionMetrics: Sendable {
    let requestDuration: CoreMetrics.Timer
    let retries: CoreMetrics.Counter

    init(region: String, factory: any MetricsFactory) {
        requestDuration = CoreMetrics.Timer(label: MetricCatalog.requestDuration.name, dimensions: [("region", region)], factory: factory)
        retries = CoreMetrics.Counter(label: MetricCatalog.retries.name, dimensions: [("region", region)], factory: factory)
    }
}

/// How one attempt failed, before the retry decision.
private enum AttemptError: Error {
    case service(AWSServiceError)
    case connection(ConnectionFailure)
    case timeout
    case tooLarge(limit: Int)
    case credentials(String, transient: Bool)
    case cancelled

    var attemptFailure: AttemptFailure {
        switch self {
        case .service(let error): .service(error)
        case .connection(let failure): failure.isLasting ? .permanent : .connection
        case .timeout: .timeout
        case .tooLarge, .credentials, .cancelled: .permanent
        }
    }

    var reason: CognitoSyncError.Reason? {
        switch self {
        case .service(let error): .service(error)
        case .connection(let detail): .connection(detail)
        case .timeout: .timeout
        case .tooLarge(let limit): .responseTooLarge(limit: limit)
        case .credentials(let message, let transient): transient ? .credentialsUnavailable(message) : .credentials(message)
        case .cancelled: nil
        }
    }
}
