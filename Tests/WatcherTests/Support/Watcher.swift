#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import NetworkTestSupport
import Simulator
import Testing

/// Runs the built `cognito-sync-watcher` as a user would, in an environment the test controls:
/// never the developer's AWS settings, credentials files or instance role.
enum Watcher {
    /// The binary next to the test bundle (both live in SwiftPM's build directory), unless
    /// `COGNITO_SYNC_WATCHER` names another.
    static let path: String = {
        if let override = ProcessInfo.processInfo.environment["COGNITO_SYNC_WATCHER"] { return override }
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        // The test binary may sit inside a bundle directory (`….xctest/…`).
        while directory.path != "/", !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("cognito-sync-watcher").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("cognito-sync-watcher").path
    }()

    /// A minimal environment: a scratch HOME with no AWS files, instance metadata off, 80 columns,
    /// and the test CA trusted as a company's own CA is (`AWS_CA_BUNDLE`), for the simulator's HTTPS.
    static func environment(home: URL, extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": home.path,
            "LANG": "C.UTF-8",
            "COLUMNS": "80",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": home.appendingPathComponent("no-aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("no-aws-credentials").path,
            "AWS_CA_BUNDLE": TestTLS.caFile,
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// The simulator's demo key pair, as a user would export it.
    static let demoKeys = [
        "AWS_ACCESS_KEY_ID": ScenarioCredential.demo.accessKeyID,
        "AWS_SECRET_ACCESS_KEY": ScenarioCredential.demo.secretAccessKey,
    ]

    /// Starts the binary with `arguments`.
    static func start(_ arguments: [String], home: URL, environment extra: [String: String] = [:]) throws -> ChildProcess {
        try #require(FileManager.default.isExecutableFile(atPath: path), "build the executable first (swift build): \(path) is missing")
        return try ChildProcess.start(path, arguments, environment: environment(home: home, extra: extra))
    }

    /// Starts `wait` against `service` with the demo key pair, polling every second.
    static func startWait(_ arguments: [String], against service: SimulatedService, home: URL) throws -> ChildProcess {
        try start(["wait", "--endpoint", service.endpoint, "--interval", "1"] + arguments, home: home, environment: demoKeys)
    }

    /// Runs the binary to the end (killing it after `timeout`) and returns what it wrote.
    static func run(_ arguments: [String], home: URL, environment extra: [String: String] = [:], timeout: Duration = .seconds(20)) async throws -> ChildProcess.Output {
        let child = try start(arguments, home: home, environment: extra)
        let output = await child.finish(timeout: timeout)
        #expect(output.isComplete, "\(arguments) did not end within \(timeout)")
        return output
    }
}

