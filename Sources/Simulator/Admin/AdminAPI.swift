import Foundation
import Model
import NIOHTTP1

/// The simulator's control API under `/_simulator/`: faults on demand and the request log.
///
/// It is unauthenticated, so the server binds to loopback by default. Routes:
/// - `GET /_simulator/faults`: the faults in force.
/// - `POST /_simulator/faults`: add one (a fault object as in a scenario, plus an optional `pool`).
/// - `DELETE /_simulator/faults`: remove all of them; `DELETE /_simulator/faults/{id}`: one.
/// - `GET /_simulator/requests`: the request log; `DELETE /_simulator/requests`: clear it.
/// - `GET /_simulator/pools`: what each pool reports now, faults aside.
struct AdminAPI {
    let simulator: Simulator

    func handle(_ request: SimulatorRequest, now: Date) -> SimulatorResponse {
        let segments = request.path.dropFirst(Route.adminPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        let method = request.method
        switch (segments.first.map(String.init) ?? "", segments.count) {
        case ("faults", 1):
            switch method {
            case "GET": return reply(.ok, FaultList(faults: simulator.faults))
            case "POST": return addFault(request.body)
            case "DELETE":
                simulator.removeAllFaults()
                return empty(.noContent)
            default: return methodNotAllowed(allow: "GET, POST, DELETE")
            }
        case ("faults", 2):
            guard method == "DELETE" else { return methodNotAllowed(allow: "DELETE") }
            guard let id = Int(segments[1]), simulator.removeFault(id: id) else {
                return problem(.notFound, "there is no fault with id '\(ClientText.bounded(segments[1]))'")
            }
            return empty(.noContent)
        case ("requests", 1):
            switch method {
            case "GET": return reply(.ok, simulator.requestLog)
            case "DELETE":
                simulator.clearRequestLog()
                return empty(.noContent)
            default: return methodNotAllowed(allow: "GET, DELETE")
            }
        case ("pools", 1):
            guard method == "GET" else { return methodNotAllowed(allow: "GET") }
            return reply(.ok, poolList(now: now))
        default:
            return problem(.notFound, "no admin route \(method) \(ClientText.bounded(request.path))",
                           hint: "routes: /_simulator/faults, /_simulator/faults/{id}, /_simulator/requests, /_simulator/pools")
        }
    }

    private func addFault(_ body: [UInt8]) -> SimulatorResponse {
        let rule: FaultRule
        do {
            rule = try Scenario.parseFault(Data(body))
        } catch {
            return reply(.badRequest, ProblemBody(message: "the fault is not valid", problems: error.problems.map(\.description)))
        }
        if let pool = rule.pool, !simulator.scenario.pools.contains(where: { $0.id == pool }) {
            return problem(.badRequest, "pool: '\(pool)' is not one of the scenario's pools")
        }
        return reply(.created, simulator.addFault(rule))
    }

    private func poolList(now: Date) -> PoolList {
        let pools = simulator.scenario.pools.map { pool in
            PoolView(id: pool.id.rawValue, name: pool.name, details: simulator.details(for: pool.id))
        }
        return PoolList(secondsSinceStart: now.timeIntervalSince(simulator.startDate), pools: pools)
    }

    // MARK: - Bodies

    private struct FaultList: Encodable {
        var faults: [ActiveFault]
    }

    private struct PoolList: Encodable {
        var secondsSinceStart: Double
        var pools: [PoolView]
    }

    private struct PoolView: Encodable {
        var id: String
        var name: String?
        var details: BulkPublishDetails?
    }

    private struct ProblemBody: Encodable {
        var message: String
        var problems: [String]?
        var hint: String?
    }

    private func reply(_ status: HTTPResponseStatus, _ value: some Encodable) -> SimulatorResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let body = (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return SimulatorResponse(status: status, headers: headers, body: .bytes(body + [UInt8(ascii: "\n")]))
    }

    private func empty(_ status: HTTPResponseStatus) -> SimulatorResponse {
        SimulatorResponse(status: status, headers: HTTPHeaders(), body: .bytes([]))
    }

    private func problem(_ status: HTTPResponseStatus, _ message: String, hint: String? = nil) -> SimulatorResponse {
        reply(status, ProblemBody(message: message, hint: hint))
    }

    private func methodNotAllowed(allow: String) -> SimulatorResponse {
        var response = problem(.methodNotAllowed, "method not allowed here; use \(allow)")
        response.headers.add(name: "Allow", value: allow)
        return response
    }
}
