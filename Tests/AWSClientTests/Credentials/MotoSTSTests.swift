@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import Foundation
import NetworkTestSupport
import Testing
import ProcessSupport

/// The assume-role client against moto's STS server (`pip install "moto[server]"`, which
/// `scripts/setup` installs): someone else's STS, its XML and its timestamps (with
/// microseconds), parsed by the same code as the simulator's and AWS's.
struct MotoSTSTests {
    /// moto's server on a free loopback port, for as long as the value lives.
    final class Moto {
        let process = Process()
        let input = Pipe()
        let port: Int

        init() async throws {
            let script = """
                import sys
                from moto.server import ThreadedMotoServer
                server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
                server.start()
                print(server.get_host_and_port()[1], flush=True)
                sys.stdin.read()
                server.stop()
                """
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script]
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // moto takes seconds to import: its first line is waited for off Swift's pool.
            let reading = output.fileHandleForReading
            let line = try await ChildSlots.shared.run { String(decoding: reading.availableData, as: UTF8.self) }
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard let port = Int(line) else {
                process.terminate()
                throw Failure(description: "moto's server did not start (printed '\(line)'); install it with: pip install \"moto[server]\"")
            }
            self.port = port
        }

        /// moto stops when its stdin closes; the process reaps it.
        deinit {
            try? input.fileHandleForWriting.close()
        }

        struct Failure: Error, CustomStringConvertible {
            var description: String
        }
    }

    @Test func rolesAreAssumedAndChainedAgainstMoto() async throws {
        let moto = try await Moto()
        let directory = try ScratchDirectory()
        let environment = [
            "AWS_CONFIG_FILE": try directory.write("""
                [profile base]
                aws_access_key_id = AKIDMOTOEXAMPLE
                aws_secret_access_key = moto-accepts-any-secret
                [profile watcher]
                role_arn = arn:aws:iam::123456789012:role/watcher
                source_profile = base
                duration_seconds = 900
                [profile chained]
                role_arn = arn:aws:iam::123456789012:role/reader
                source_profile = watcher
                """, to: "config"),
            "AWS_SHARED_CREDENTIALS_FILE": directory.file("none"),
            "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(moto.port)",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        try await HTTPTransport.with { transport in
            for profile in ["watcher", "chained"] {
                let resolved = try await CredentialChain(environment: environment, transport: transport, profile: profile).resolve()
                #expect(resolved.credentials.accessKeyID.hasPrefix("ASIA"), "\(profile)")
                #expect(resolved.credentials.sessionToken?.isEmpty == false)
                let expiration = try #require(resolved.credentials.expiration)
                #expect(expiration > Date().addingTimeInterval(600) && expiration < Date().addingTimeInterval(48 * 3600), "\(expiration)")
            }
        }
        withExtendedLifetime(moto) {}
    }
}
