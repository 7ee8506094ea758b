import AWSSigning
import Benchmark
import Foundation
import HeapModule
import Model

/// What one poll costs the watcher outside the network: the signature, the response body, the
/// state machine and the scheduler's decision. Inputs are built once, outside the measurement.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 1000,
        maxDuration: .seconds(2),
        maxIterations: .kilo(200)
    )

    Benchmark("SigV4 sign GetBulkPublishDetails") { benchmark in
        let signer = SigV4Signer(service: "cognito-sync", region: "us-east-1")
        let path = "/identitypools/\(AWSURIEncoding.encodePathLabel(Inputs.poolID))/getBulkPublishDetails"
        guard let url = URL(string: "https://cognito-sync.us-east-1.amazonaws.com" + path),
              let request = SignableRequest(method: "POST", url: url) else { return }
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(signer.sign(request, credentials: Inputs.credentials, date: date))
        }
    }

    Benchmark("SigV4 sign GetBulkPublishDetails, signing key cached") { benchmark in
        // As the client signs: the day's signing key kept per region, the request joined from
        // its path and Host value.
        let signer = SigV4Signer(service: "cognito-sync", region: "us-east-1", keyCache: SigV4SigningKeyCache())
        let path = "/identitypools/\(AWSURIEncoding.encodePathLabel(Inputs.poolID))/getBulkPublishDetails"
        let request = SignableRequest(
            method: "POST", path: path, headers: [(name: "Host", value: "cognito-sync.us-east-1.amazonaws.com")])
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        blackHole(signer.sign(request, credentials: Inputs.credentials, date: date))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(signer.sign(request, credentials: Inputs.credentials, date: date))
        }
    }

    Benchmark("Decode GetBulkPublishDetails body (FAILED)") { benchmark in
        let body = Array(Inputs.failedBody.utf8)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            // As the client does it: a fresh decoder over the collected bytes.
            blackHole(try? JSONDecoder().decode(BulkPublishDetails.self, from: Data(body)))
        }
    }

    Benchmark("State machine step, IN_PROGRESS again (no event)") { benchmark in
        guard let start = try? Inputs.machineInProgress() else { return }
        let details = Inputs.details(.inProgress)
        let now = Date(timeIntervalSince1970: 1_800_000_100)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var machine = start
            blackHole(machine.observe(details, at: now))
        }
    }

    Benchmark("State machine step, IN_PROGRESS -> FAILED (one event)") { benchmark in
        guard let start = try? Inputs.machineInProgress() else { return }
        let details = Inputs.details(.failed)
        let now = Date(timeIntervalSince1970: 1_800_000_100)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var machine = start
            blackHole(machine.observe(details, at: now))
        }
    }

    // The queue of 10,000 pools is built and torn down outside the measurement (its teardown
    // alone, 10,000 strings released, would dwarf one decision); 1,000 decisions per sample.
    Benchmark("Scheduling decision among 10,000 pools", configuration: .init(scalingFactor: .kilo)) { benchmark in
        guard let ids = try? Inputs.poolIDs(10_000), let state = try? Inputs.machineInProgress().state else { return }
        var random = SplitMix(state: 1)
        var due = Heap(ids.enumerated().map { DueEntry(dueAt: Double($0.offset), pool: $0.element, generation: 0) })
        var limiter = RequestRateLimiter(rate: 1_000_000)
        var now = 0.0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            // The loop's work for one poll: take the next due pool, ask the rate limiter, and
            // once the poll is back, compute its next due time and queue it.
            guard let next = due.popMin() else { break }
            now = max(now, next.dueAt)
            blackHole(limiter.acquire(at: now))
            let delay = PollSchedule.delay(after: state, settings: .standard, using: &random)
            due.insert(DueEntry(dueAt: now + delay, pool: next.pool, generation: next.generation &+ 1))
        }
        benchmark.stopMeasurement()
        blackHole(due)
    }
}

/// The shape of the loop's own queue entry (`DuePoll` in the Daemon module).
struct DueEntry: Comparable {
    var dueAt: Double
    var pool: IdentityPoolID
    var generation: UInt64

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.dueAt, lhs.pool) < (rhs.dueAt, rhs.pool)
    }
}

/// Realistic inputs: a pool id, the simulator's demo keys, a FAILED response.
enum Inputs {
    static let poolID = "us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a"
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDSIMULATOR0000000", secretAccessKey: "simulator-demo-secret-access-key-0000000"
    )
    static let failedBody = """
        {"IdentityPoolId":"us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a","BulkPublishStatus":"FAILED",\
        "BulkPublishStartTime":1.8E9,"BulkPublishCompleteTime":1.80000006E9,\
        "FailureMessage":"Unable to write to Kinesis stream 'exports': the stream does not exist."}
        """

    static func details(_ status: BulkPublishStatus) -> BulkPublishDetails {
        BulkPublishDetails(
            identityPoolID: poolID, status: status, startTime: Date(timeIntervalSince1970: 1_800_000_000),
            completeTime: status == .inProgress ? nil : Date(timeIntervalSince1970: 1_800_000_060),
            failureMessage: status == .failed ? "Unable to write to Kinesis stream 'exports'." : nil
        )
    }

    /// A machine that has seen its pool's run IN_PROGRESS once.
    static func machineInProgress() throws -> PoolStateMachine {
        var machine = PoolStateMachine(pool: WatchedPool(id: try IdentityPoolID(validating: poolID), name: "exports"))
        _ = machine.observe(details(.inProgress), at: Date(timeIntervalSince1970: 1_800_000_030))
        return machine
    }

    static func poolIDs(_ count: Int) throws -> [IdentityPoolID] {
        var random = SplitMix(state: 42)
        return try (0..<count).map { _ in
            let hex = (0..<32).map { _ in String(random.next() % 16, radix: 16) }.joined()
            let guid = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
                .joined(separator: "-")
            return try IdentityPoolID(validating: "us-east-1:" + guid)
        }
    }
}
