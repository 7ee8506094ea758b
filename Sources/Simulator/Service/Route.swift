/// Where a request goes, decided from its method and path as the rest-json service does.
enum Route: Equatable {
    /// One of the operations, with the pool id label still percent-encoded as it arrived.
    case operation(ServiceOperation, encodedPoolID: Substring)
    /// An operation's path with a method other than POST.
    case wrongMethod(ServiceOperation, encodedPoolID: Substring)
    /// The simulator's own control API.
    case admin
    /// STS's query protocol: `POST /` with the action in the form body.
    case securityTokenService
    /// The IAM Identity Center portal's `GetRoleCredentials`: `GET /federation/credentials`.
    case singleSignOnPortal
    /// IAM Identity Center's OIDC `CreateToken`: `POST /token`.
    case singleSignOnOIDC
    /// Nothing the service knows.
    case unknown

    /// The prefix of the control API; the service's paths all begin with `/identitypools/`, so it
    /// can never shadow one of them.
    static let adminPrefix = "/_simulator/"

    init(method: String, path: Substring) {
        if path.hasPrefix(Self.adminPrefix) || path == Self.adminPrefix.dropLast() {
            self = .admin
            return
        }
        if path == "/", method == "POST" {
            self = .securityTokenService
            return
        }
        if path == "/federation/credentials", method == "GET" {
            self = .singleSignOnPortal
            return
        }
        if path == "/token", method == "POST" {
            self = .singleSignOnOIDC
            return
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 4, segments[0].isEmpty, segments[1] == "identitypools", !segments[2].isEmpty,
              let operation = ServiceOperation.allCases.first(where: { $0.pathSuffix == segments[3] }) else {
            self = .unknown
            return
        }
        self = method == "POST" ? .operation(operation, encodedPoolID: segments[2]) : .wrongMethod(operation, encodedPoolID: segments[2])
    }

    /// The pool id label, when the path names one.
    var encodedPoolID: Substring? {
        switch self {
        case .operation(_, let label), .wrongMethod(_, let label): label
        case .admin, .securityTokenService, .singleSignOnPortal, .singleSignOnOIDC, .unknown: nil
        }
    }
}
