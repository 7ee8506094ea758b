import Foundation
import ProcessSupport

/// Runs one of the botocore scripts under `Fixtures` with `python3`, feeding JSON on stdin.
///
/// botocore is the reference the client must match. A machine without it makes these tests
/// fail with instructions (`pip install botocore`) rather than skip, so a gap cannot go unnoticed.
enum BotocoreOracle {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(script name: String, input: Any) async -> Result<Any, Failure> {
        do {
            let script = try FixtureFiles.url(name)
            let data = try JSONSerialization.data(withJSONObject: input)
            // Python and botocore take a second or more to start: waited for off Swift's pool.
            let output = try await ChildSlots.shared.run { try runPython(script: script, input: data) }
            return .success(try JSONSerialization.jsonObject(with: output))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(description: "could not run \(name): \(error)"))
        }
    }

    /// Runs `script` on one input per test case and turns each of the results, which must be one
    /// per case, into a value with `read`.
    static func runPerCase<Value>(
        script name: String, input: [[String: Any]], read: ([String: Any]) -> Value
    ) async -> Result<[Value], Failure> {
        await run(script: name, input: input).flatMap { output in
            guard let list = output as? [[String: Any]], list.count == input.count else {
                return .failure(Failure(description: "\(name) did not print one result per case"))
            }
            return .success(list.map(read))
        }
    }

    private static func runPython(script: URL, input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        // The oracle must not see the AWS settings of whoever runs the tests.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        // stderr goes to a file so a chatty failure cannot fill a pipe nobody is reading yet.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("botocore-\(UUID()).stderr")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw Failure(description: "could not create \(errorFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errors = (try? Data(contentsOf: errorFile)) ?? Data()
            throw Failure(
                description: "python3 \(script.lastPathComponent) exited with \(process.terminationStatus). "
                    + "These tests need python3 with botocore: pip install botocore. stderr: "
                    + String(decoding: errors.prefix(2000), as: UTF8.self)
            )
        }
        return output
    }
}
