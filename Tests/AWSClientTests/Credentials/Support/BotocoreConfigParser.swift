import Foundation

/// botocore's `raw_config_parse`, run through python3, as a reference.
enum BotocoreConfigParser {
    static let isAvailable: Bool = (try? run(["-c", "import botocore.configloader"]))?.status == 0

    /// The sections botocore finds, or nil when it rejects the file. Nested values are
    /// compared as their raw text, which is what `INIFile` keeps.
    static func rawConfigParse(_ path: String) throws -> [String: [String: String]]? {
        let script = """
            import json, sys, botocore.configloader as c, botocore.exceptions as e
            try:
                print(json.dumps(c.raw_config_parse(sys.argv[1], parse_subsections=False)))
            except e.ConfigParseError:
                print("null")
            """
        let result = try run(["-c", script, path])
        // parse_subsections=False skips the nested-value check, so repeat it on the raw values.
        let check = try run(["-c", "import sys, botocore.configloader as c\ntry:\n    c.raw_config_parse(sys.argv[1])\nexcept Exception:\n    sys.exit(3)", path])
        if check.status == 3 { return nil }
        return try JSONDecoder().decode([String: [String: String]]?.self, from: Data(result.output.utf8))
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
