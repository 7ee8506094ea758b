public import Foundation
public import Logging
public import Model
import NIOHTTP1
import Synchronization

/// The simulated Cognito Sync service: answers requests as the real one does, following a
/// scenario's timelines and faults against an injected clock.
///
/// It does no IO itself: ``SimulatorServer`` feeds it requests from the network, and tests may
/// call ``handle(_:)`` directly. The methods for faults and the request log are the Swift side
/// of the admin API.
public final class Simulator: Sendable {
    public let scenario: Scenario
    public let clock: any SimulatorClock
    /// The moment timelines, fault windows and credential expiries are measured from.
    public let startDate: Date

    /// The largest request body read; the operations take none.
    static let maximumBodySize = 1024 * 1024

    private let authenticator: RequestAuthenticator
    private let state: Mutex<ServiceState>
    private let logger: Logger

    /// A simulator whose timelines start now, as `clock` tells it.
    public init(scenario: Scenario, clock: any SimulatorClock = SystemClock(), logger: Logger = Logger(label: "cognito-sync-simulator")) {
        self.scenario = scenario
        self.clock = clock
        self.logger = logger
        let start = clock.now()
        startDate = start
        authenticator = RequestAuthenticator(credentials: scenario.credentials, start: start)
        state = Mutex(ServiceState(scenario: scenario))
    }

    /// Seconds since ``startDate`` by the simulator's clock.
    public var secondsSinceStart: TimeInterval {
        clock.now().timeIntervalSince(startDate)
    }

    // MARK: - Requests

    /// Decides the answer to one request: the admin API, or the service with authentication,
    /// routing, faults and the operations, in that order.
    public func handle(_ request: SimulatorRequest) -> SimulatorAction {
        let now = clock.now()
        let route = Route(method: request.method, path: request.path)
        if route == .admin {
            return .respond(AdminAPI(simulator: self).handle(request, now: now))
        }
        if route == .securityTokenService {
            return .respond(securityTokenService(request, now: now))
        }
        if route == .singleSignOnPortal {
            return .respond(singleSignOnPortal(request, now: now))
        }
        if route == .singleSignOnOIDC {
            return .respond(singleSignOnOIDC(request, now: now))
        }
        let time = now.timeIntervalSince(startDate)
        let label = route.encodedPoolID
        let decodedPool = label.flatMap { $0.removingPercentEncoding }
        var entry = RequestLog.Entry(
            at: time, method: request.method, path: ClientText.bounded(request.path, limit: 300),
            pool: (decodedPool ?? label.map(String.init)).map { ClientText.bounded($0) })
        if case .operation(let operation, _) = route {
            entry.operation = operation.rawValue
        }
        entry.userAgent = request.headers.first(name: "User-Agent").map { ClientText.bounded($0, limit: 200) }

        var action: SimulatorAction?
        if scenario.verifySignatures {
            let region = decodedPool.flatMap { try? IdentityPoolID(validating: $0) }?.region
            switch authenticator.authenticate(request, region: region, now: now, issued: state.withLock { $0.issued }) {
            case .success(let accessKeyID):
                entry.accessKeyId = accessKeyID
            case .failure(let error):
                action = .respond(ServiceReplies.error(error, now: now))
            }
        }
        let answer = state.withLock { state in
            let answer = action ?? serve(route: route, decodedPool: decodedPool, time: time, now: now, state: &state, entry: &entry)
            Self.note(answer, in: &entry)
            state.log.record(entry)
            return answer
        }
        log(entry)
        return answer
    }

    /// An STS call: the action from the form body, authentication for `AssumeRole`, logged like
    /// every other request.
    private func securityTokenService(_ request: SimulatorRequest, now: Date) -> SimulatorResponse {
        let fields = SecurityTokenService.form(request.body)
        let action = fields["Action"] ?? ""
        var entry = RequestLog.Entry(at: now.timeIntervalSince(startDate), method: request.method, path: "/")
        entry.operation = ClientText.bounded(action, limit: 60)
        entry.userAgent = request.headers.first(name: "User-Agent").map { ClientText.bounded($0, limit: 200) }
        var response: SimulatorResponse
        switch action {
        case "AssumeRole", "AssumeRoleWithWebIdentity":
            var refused: SecurityTokenService.Failure?
            if action == "AssumeRole", scenario.verifySignatures {
                switch authenticator.authenticate(
                    request, service: SecurityTokenService.signingName, region: nil, now: now, issued: state.withLock { $0.issued }) {
                case .success(let key): entry.accessKeyId = key
                case .failure(let error): refused = SecurityTokenService.failure(error)
                }
            }
            if let refused {
                response = SecurityTokenService.error(refused, now: now)
            } else {
                switch SecurityTokenService.assume(action, fields: fields, roles: scenario.roles, start: startDate, now: now) {
                case .success(let issued):
                    state.withLock { $0.issued[issued.credential.accessKeyID] = issued.credential }
                    response = SecurityTokenService.success(action, issued, now: now)
                case .failure(let failure):
                    response = SecurityTokenService.error(failure, now: now)
                }
            }
        default:
            response = SecurityTokenService.error(
                .init(status: .badRequest, code: "InvalidAction", message: "Could not find operation \(ClientText.bounded(action, limit: 60)) for version 2011-06-15"),
                now: now)
        }
        entry.status = Int(response.status.code)
        if entry.status != 200 {
            entry.errorCode = SecurityTokenService.code(in: response)
        }
        state.withLock { $0.log.record(entry) }
        log(entry)
        return response
    }

    /// The IAM Identity Center portal's `GetRoleCredentials`: any bearer token is taken for a
    /// login, and the role's credentials are issued as STS issues them.
    private func singleSignOnPortal(_ request: SimulatorRequest, now: Date) -> SimulatorResponse {
        var entry = RequestLog.Entry(at: now.timeIntervalSince(startDate), method: request.method, path: "/federation/credentials")
        entry.operation = "GetRoleCredentials"
        let query = SecurityTokenService.form(Array((request.target.split(separator: "?", maxSplits: 1).dropFirst().first ?? "").utf8))
        let response: SimulatorResponse
        if (request.headers.first(name: "x-amz-sso_bearer_token") ?? "").isEmpty {
            response = ServiceReplies.error(ServiceError(status: 401, code: "UnauthorizedException", message: "Session token not found or invalid", namespace: .service), now: now)
        } else if let account = query["account_id"], account.wholeMatch(of: /[0-9]{12}/) != nil, let role = query["role_name"], !role.isEmpty {
            let issued = SecurityTokenService.issue(duration: 3600, start: startDate, now: now)
            state.withLock { $0.issued[issued.credential.accessKeyID] = issued.credential }
            response = ServiceReplies.success(ServiceReplies.roleCredentialsBody(issued.credential, expiration: issued.expiration), now: now)
        } else {
            response = ServiceReplies.error(ServiceError(status: 400, code: "InvalidRequestException", message: "account_id and role_name are required", namespace: .service), now: now)
        }
        entry.status = Int(response.status.code)
        state.withLock { $0.log.record(entry) }
        log(entry)
        return response
    }

    /// IAM Identity Center's OIDC `CreateToken`, refreshing a cached login; see ``SingleSignOnOIDC``.
    private func singleSignOnOIDC(_ request: SimulatorRequest, now: Date) -> SimulatorResponse {
        var entry = RequestLog.Entry(at: now.timeIntervalSince(startDate), method: request.method, path: "/token")
        entry.operation = "CreateToken"
        let answer = state.withLock { state in
            let answer = SingleSignOnOIDC.createToken(body: request.body, spent: state.spentRefreshTokens)
            if let spent = answer.spent { state.spentRefreshTokens.insert(spent) }
            return answer
        }
        let body = (try? Array(JSONSerialization.data(withJSONObject: answer.body, options: [.sortedKeys]))) ?? Array("{}".utf8)
        var response = ServiceReplies.success(body, now: now)
        response.status = .init(statusCode: answer.status)
        entry.status = answer.status
        entry.errorCode = answer.errorCode
        state.withLock { $0.log.record(entry) }
        log(entry)
        return response
    }

    /// The answer to a request whose body is larger than the service reads.
    func rejectOversized(_ request: SimulatorRequest) -> SimulatorAction {
        let now = clock.now()
        var entry = RequestLog.Entry(at: now.timeIntervalSince(startDate), method: request.method,
                                     path: ClientText.bounded(request.path, limit: 300))
        let answer = SimulatorAction.respond(ServiceReplies.error(.requestTooLarge, now: now))
        Self.note(answer, in: &entry)
        state.withLock { $0.log.record(entry) }
        log(entry)
        return answer
    }

    private func serve(
        route: Route,
        decodedPool: String?,
        time: TimeInterval,
        now: Date,
        state: inout ServiceState,
        entry: inout RequestLog.Entry
    ) -> SimulatorAction {
        let operation: ServiceOperation
        switch route {
        case .operation(let routed, _):
            operation = routed
        case .wrongMethod(let routed, _):
            entry.operation = routed.rawValue
            return .respond(ServiceReplies.error(.methodNotAllowed(method: entry.method, operation: routed), now: now))
        case .admin, .securityTokenService, .singleSignOnPortal, .singleSignOnOIDC, .unknown:
            return .respond(ServiceReplies.error(.unknownOperation(method: entry.method, path: entry.path), now: now))
        }
        entry.operation = operation.rawValue

        func answer(statusOverride: String? = nil) -> SimulatorResponse {
            respond(to: operation, decodedPool: decodedPool, time: time, now: now, state: &state, statusOverride: statusOverride)
        }
        guard let fault = state.takeFault(pool: decodedPool, operation: operation, at: time) else {
            return .respond(answer())
        }
        entry.fault = fault.label
        func failure(_ error: ServiceError) -> SimulatorAction {
            var error = error
            if let message = fault.message { error.message = message }
            if fault.kind.isThrottling { error.retryAfterMilliseconds = fault.retryAfterMilliseconds }
            return .respond(ServiceReplies.error(error, now: now))
        }
        switch fault.kind {
        case .http500: return failure(.internalError)
        case .http503: return failure(.serviceUnavailable)
        case .throttle429: return failure(.tooManyRequests)
        case .throttling400: return failure(.throttling)
        case .notAuthorized: return failure(.notAuthorized(operation: operation, pool: decodedPool))
        case .expiredToken: return failure(.expiredToken)
        case .reset: return .resetConnection
        case .html: return .respond(ServiceReplies.badGatewayPage(now: now))
        case .slow: return .respondAt(now.addingTimeInterval(fault.effectiveDelay), answer())
        case .unknownStatus: return .respond(answer(statusOverride: fault.effectiveStatus))
        case .malformed:
            var response = answer()
            if response.status == .ok {
                response.body = .bytes(ServiceReplies.truncated(response.body.bytes))
            }
            return .respond(response)
        case .huge:
            var response = answer()
            if response.status == .ok {
                response.body = ServiceReplies.padded(response.body.bytes, to: fault.effectiveSize)
            }
            return .respond(response)
        }
    }

    /// The operation's own answer, faults aside.
    private func respond(
        to operation: ServiceOperation,
        decodedPool: String?,
        time: TimeInterval,
        now: Date,
        state: inout ServiceState,
        statusOverride: String?
    ) -> SimulatorResponse {
        guard let decodedPool else {
            return ServiceReplies.error(.invalidParameter("The IdentityPoolId in the request path is not valid percent-encoding."), now: now)
        }
        let pool: IdentityPoolID
        do {
            pool = try IdentityPoolID(validating: decodedPool)
        } catch {
            return ServiceReplies.error(
                .invalidParameter("Invalid IdentityPoolId '\(ClientText.bounded(decodedPool))': \(error.description)"), now: now)
        }
        switch operation {
        case .getBulkPublishDetails:
            guard var details = state.details(for: pool, at: time, start: startDate) else {
                return ServiceReplies.error(.resourceNotFound(pool: pool.rawValue), now: now)
            }
            if let statusOverride {
                details.status = BulkPublishStatus(rawValue: statusOverride)
            }
            return ServiceReplies.success(ServiceReplies.detailsBody(details), now: now)
        case .bulkPublish:
            if let error = state.bulkPublish(pool, at: time, start: startDate) {
                return ServiceReplies.error(error, now: now)
            }
            return ServiceReplies.success(ServiceReplies.bulkPublishBody(pool: pool), now: now)
        }
    }

    private static func note(_ action: SimulatorAction, in entry: inout RequestLog.Entry) {
        let response: SimulatorResponse
        switch action {
        case .respond(let answer), .respondAt(_, let answer): response = answer
        case .resetConnection: return
        }
        entry.status = Int(response.status.code)
        entry.errorCode = response.headers.first(name: "x-amzn-ErrorType").map { String($0.prefix { $0 != ":" }) }
    }

    private func log(_ entry: RequestLog.Entry) {
        var metadata: Logger.Metadata = ["method": "\(entry.method)", "path": "\(entry.path)"]
        metadata["status"] = entry.status.map { "\($0)" } ?? "reset"
        if let code = entry.errorCode { metadata["error"] = "\(code)" }
        if let fault = entry.fault { metadata["fault"] = "\(fault)" }
        if let pool = entry.pool { metadata["pool"] = "\(pool)" }
        if let operation = entry.operation { metadata["operation"] = "\(operation)" }
        logger.info("request", metadata: metadata)
    }

    // MARK: - Swift side of the admin API

    /// Adds a fault; it applies from the next request. Windows are measured from ``startDate``.
    @discardableResult
    public func addFault(_ rule: FaultRule) -> ActiveFault {
        state.withLock { $0.addFault(rule) }
    }

    /// Removes every fault, the scenario's included.
    public func removeAllFaults() {
        state.withLock { $0.removeAllFaults() }
    }

    /// Removes one fault; `false` when there is none with that id.
    @discardableResult
    public func removeFault(id: Int) -> Bool {
        state.withLock { $0.removeFault(id: id) }
    }

    /// The faults in force, with their hit counts.
    public var faults: [ActiveFault] {
        state.withLock { $0.faults }
    }

    /// What has been asked so far.
    public var requestLog: RequestLog {
        state.withLock { $0.log }
    }

    /// Counts a connection the listener accepted.
    public func recordConnection() {
        state.withLock { $0.log.connections += 1 }
    }

    /// Forgets every request so far.
    public func clearRequestLog() {
        state.withLock { $0.log = RequestLog() }
    }

    /// What `GetBulkPublishDetails` would report for `pool` now (faults aside); `nil` for a pool
    /// the scenario does not declare.
    public func details(for pool: IdentityPoolID) -> BulkPublishDetails? {
        let time = secondsSinceStart
        return state.withLock { $0.details(for: pool, at: time, start: startDate) }
    }
}
