import Foundation

/// botocore's `raw_config_parse`, run through python3 (``BotocoreOracle``), as a reference: a
/// machine without botocore fails the tests that use it, saying how to install it.
enum BotocoreConfigParser {
    /// The sections botocore finds in the file at `path`, or nil when it rejects the file.
    static func rawConfigParse(_ path: String) async throws -> [String: [String: String]]? {
        let output = try await BotocoreOracle.run(script: "botocore_config_parse.py", input: [path]).get()
        guard let results = output as? [Any], results.count == 1 else {
            throw BotocoreOracle.Failure(description: "botocore_config_parse.py did not print one result")
        }
        if results[0] is NSNull { return nil }
        guard let sections = results[0] as? [String: [String: String]] else {
            throw BotocoreOracle.Failure(description: "botocore_config_parse.py printed \(results[0]), not sections")
        }
        return sections
    }
}
