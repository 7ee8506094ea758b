import Foundation
import Model
import NetworkTestSupport
import Simulator
import Testing

/// The listener itself: ports, keep-alive, pipelining, closing and shutdown.
struct ServerTests {
    @Test func portZeroBindsAnEphemeralPortPerServer() async throws {
        try await Harness.run(try standardScenario()) { first in
            try await Harness.run(try standardScenario()) { second in
                #expect(first.port > 0)
                #expect(second.port > 0)
                #expect(first.port != second.port)
                #expect(first.server.host == "127.0.0.1")
            }
        }
    }

    @Test func aConnectionIsKeptAliveAcrossRequests() async throws {
        try await Harness.run(try standardScenario()) { harness in
            let statuses = try await harness.client.withConnection { connection in
                var statuses: [Int] = []
                for pool in [PoolIDs.succeeding, PoolIDs.failing, PoolIDs.undeclared] {
                    statuses.append(try await connection.send(harness.signed(pool: pool)).status)
                }
                return statuses
            }
            #expect(statuses == [200, 200, 404])
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await Harness.run(try standardScenario()) { harness in
            let bodies = try await harness.client.withConnection { connection in
                try await connection.write(harness.signed(pool: PoolIDs.succeeding))
                try await connection.write(harness.signed(pool: PoolIDs.failing))
                return [try await connection.readResponse(), try await connection.readResponse()].map { try? $0.details().identityPoolID }
            }
            #expect(bodies == [PoolIDs.succeeding, PoolIDs.failing])
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await Harness.run(try standardScenario()) { harness in
            var request = harness.signed(pool: PoolIDs.succeeding)
            request.headers.append((name: "Connection", value: "close"))
            let (response, closedQuietly) = try await harness.client.withConnection { connection in
                let response = try await connection.send(request)
                return (response, try await connection.waitForClose())
            }
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(closedQuietly)
        }
    }

    @Test func anOversizedBodyIsRefusedAndTheConnectionClosed() async throws {
        try await Harness.run(try standardScenario()) { harness in
            var request = harness.signed(pool: PoolIDs.succeeding)
            request.body = [UInt8](repeating: UInt8(ascii: "a"), count: 1024 * 1024 + 1)
            request.headers.removeAll { $0.name == "Content-Length" }
            request.headers.append((name: "Content-Length", value: String(request.body.count)))
            let (response, closed) = try await harness.client.withConnection { connection in
                let response = try await connection.send(request)
                return (response, try await connection.waitForClose())
            }
            #expect(response.status == 413)
            #expect(response.errorCode == "RequestEntityTooLargeException")
            #expect(closed)
        }
    }

    @Test func shutdownClosesOpenConnectionsAndStopsListening() async throws {
        let simulator = Simulator(scenario: try standardScenario(), clock: ManualClock(), logger: quietLogger)
        let server = try await SimulatorServer.start(simulator: simulator, tls: TestTLS.server, logger: quietLogger)
        let harness = Harness(simulator: simulator, server: server, clock: ManualClock())
        let closedByServer = try await harness.client.withConnection { connection in
            _ = try await connection.send(harness.signed(pool: PoolIDs.succeeding, at: simulator.clock.now()))
            try await server.shutdown()
            return try await connection.waitForClose()
        }
        #expect(closedByServer)
        await #expect(throws: (any Error).self) {
            _ = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding))
        }
        try await server.waitUntilClosed()
    }
}
