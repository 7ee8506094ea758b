import AWSCore
import Foundation
import HelperProcess
public import Model
public import AWSSigning

/// Credentials printed by a helper program: the profile's `credential_process`, run as botocore's
/// `ProcessProvider` runs it.
///
/// The command is split shell-style (`shlex.split`) and run without a shell, with the given
/// environment and no stdin. It must exit 0 and print
/// `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`
/// (the last two optional). Unlike botocore, a run has a time limit and its output a size limit,
/// because a daemon must not hang on a stuck helper. A call that is cancelled kills the helper.
///
/// With `ownProcessGroup` (the daemon's choice) the helper starts a session of its own and a
/// timeout or a cancelled call kills every process in it: a script's `sleep` or `curl` dies with
/// the script. Without it (botocore's way, for commands run in a terminal) the helper stays in
/// the terminal's process group, where Ctrl-C reaches it, and only the helper itself is killed.
public struct ProcessCredentialProvider: CredentialProvider {
    /// Where the command comes from.
    private enum Command: Sendable {
        case profile(String, SharedFileLocations)
        case fixed(String)
    }

    /// The default time a helper may take.
    public static let defaultTimeout: Duration = .seconds(60)
    /// Credentials JSON is a few hundred bytes; more than this is a broken helper.
    static let stdoutLimit = 64 * 1024
    /// How much of stderr a failure message quotes.
    static let stderrQuoteLimit = 1024

    public let sourceName: String
    private let command: Command
    private let environment: [String: String]
    private let timeout: Duration
    private let ownProcessGroup: Bool
    private let sleep: Sleep

    /// Runs the `credential_process` of `profile`, read from the shared config and credentials
    /// files (the credentials file's value wins, as in botocore's merged view) on every call.
    public init(
        profile: String, environment: [String: String], timeout: Duration = ProcessCredentialProvider.defaultTimeout,
        ownProcessGroup: Bool = false, sleep: @escaping Sleep = taskSleep
    ) {
        self.sourceName = "credential_process (profile \(profile))"
        self.command = .profile(profile, SharedFileLocations(environment: environment))
        self.environment = environment
        self.timeout = timeout
        self.ownProcessGroup = ownProcessGroup
        self.sleep = sleep
    }

    /// Runs `command` (a `credential_process` value) directly.
    public init(
        command: String, environment: [String: String], timeout: Duration = ProcessCredentialProvider.defaultTimeout,
        ownProcessGroup: Bool = false, sleep: @escaping Sleep = taskSleep
    ) {
        self.sourceName = "credential_process"
        self.command = .fixed(command)
        self.environment = environment
        self.timeout = timeout
        self.ownProcessGroup = ownProcessGroup
        self.sleep = sleep
    }

    public func credentials() async throws -> AWSCredentials {
        let commandLine = try resolveCommandLine()
        let words: [String]
        do {
            words = try ShellWords.split(commandLine)
        } catch {
            throw failure("the command line has an unclosed quote or a trailing backslash")
        }
        guard let program = words.first, !program.isEmpty else {
            throw failure("credential_process is empty")
        }
        let executable = try locate(program)
        let outcome: HelperProcess.Outcome
        do {
            outcome = try await HelperProcess.run(
                executable: executable, arguments: Array(words.dropFirst()), environment: environment,
                output: .separate(stdoutLimit: Self.stdoutLimit, stderrLimit: Self.stderrQuoteLimit),
                ownProcessGroup: ownProcessGroup, timeout: timeout, sleep: sleep)
        } catch HelperProcess.Failure.launchFailed {
            throw failure("could not start \(program)")
        } catch HelperProcess.Failure.timedOut {
            throw failure("\(program) did not finish within \(timeout.formattedSeconds) and was stopped")
        } catch HelperProcess.Failure.stdoutTooLarge {
            throw failure("\(program) printed more than \(Self.stdoutLimit / 1024) KiB and was stopped")
        }
        guard !outcome.exitedBySignal else {
            throw failure("\(program) was killed by signal \(outcome.status)" + Self.quote(Data(outcome.stderr)))
        }
        guard outcome.status == 0 else {
            throw failure("\(program) exited with status \(outcome.status)" + Self.quote(Data(outcome.stderr)))
        }
        return try Self.parse(Data(outcome.stdout), program: program, source: sourceName)
    }

    private func resolveCommandLine() throws(CredentialError) -> String {
        switch command {
        case .fixed(let commandLine):
            return commandLine
        case .profile(let profile, let locations):
            let profiles = try SharedProfiles.load(locations, source: sourceName)
            guard let commandLine = profiles.mergedProfile(profile)?["credential_process"] else {
                let looked = profiles.summaries.joined(separator: ", ")
                throw .notConfigured(
                    sourceName, "no credential_process in profile \(profile)" + (looked.isEmpty ? "" : " (\(looked))"))
            }
            return commandLine
        }
    }

    /// `execvp`'s lookup: a name with a slash is a path, anything else is searched in `PATH`
    /// (Python's default `/bin:/usr/bin` when unset).
    private func locate(_ program: String) throws(CredentialError) -> String {
        if program.contains("/") {
            return program
        }
        let searchPath = environment["PATH"] ?? "/bin:/usr/bin"
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = directory.isEmpty ? program : "\(directory)/\(program)"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw failure("\(program) was not found in PATH")
    }

    private func failure(_ message: String) -> CredentialError {
        CredentialError(.processFailed, source: sourceName, message: message)
    }

    /// The stderr excerpt for a failure message: printable, on one line, bounded, and without
    /// anything shaped like a key (a helper run with `set -x`, or one that echoes its JSON before
    /// failing, would otherwise put the keys in the journal; botocore quotes stderr as it is).
    static func quote(_ stderr: Data) -> String {
        let wasCut = stderr.count >= stderrQuoteLimit
        let text = String(decoding: stderr.prefix(stderrQuoteLimit), as: UTF8.self)
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        })).trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty else { return "" }
        return ": " + SecretLikeText.redactingKeys(cleaned, wasCut: wasCut) + (wasCut ? "…" : "")
    }

    /// Reads botocore's version-1 format.
    static func parse(_ stdout: Data, program: String, source: String) throws(CredentialError) -> AWSCredentials {
        func invalid(_ message: String) -> CredentialError {
            CredentialError(.processFailed, source: source, message: message)
        }
        let output: ProcessOutput
        do {
            output = try JSONDecoder().decode(ProcessOutput.self, from: stdout)
        } catch let error as ProcessOutput.FieldError {
            throw invalid("\(program) printed JSON whose \(error.field) is not a string")
        } catch {
            // The decoder's message could quote the output, which holds the secret.
            throw invalid("\(program) did not print a JSON object")
        }
        guard output.version == .one else {
            let shown: String
            switch output.version {
            case .missing: shown = "<Version key not provided>"
            case .other(let text): shown = text
            case .one: shown = "1"
            }
            throw invalid("unsupported version '\(shown)' for credential process output, supported versions: 1")
        }
        guard let accessKeyID = output.accessKeyID else {
            throw invalid("missing required key in output: AccessKeyId")
        }
        guard let secret = output.secretAccessKey else {
            throw invalid("missing required key in output: SecretAccessKey")
        }
        var expiration: Date?
        if let text = output.expiration {
            guard let date = ISO8601Timestamp.parse(text) else {
                throw invalid("Expiration is not an ISO 8601 time")
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: output.sessionToken,
            expiration: expiration)
    }
}

/// The JSON a `credential_process` prints.
private struct ProcessOutput: Decodable {
    enum Version: Equatable {
        case one
        case missing
        /// Any other value, shown in the error (it is not a secret).
        case other(String)
    }

    struct FieldError: Error {
        var field: String
    }

    private enum Keys: String, CodingKey {
        case version = "Version"
        case accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case sessionToken = "SessionToken"
        case expiration = "Expiration"
    }

    var version: Version
    var accessKeyID: String?
    var secretAccessKey: String?
    var sessionToken: String?
    var expiration: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if !container.contains(.version) {
            version = .missing
        } else if let number = try? container.decode(Double.self, forKey: .version) {
            // Python compares with `!= 1`, so 1.0 passes too.
            version = number == 1 ? .one : .other(number.formatted())
        } else if let text = try? container.decode(String.self, forKey: .version) {
            version = .other(String(text.prefix(20)))
        } else {
            version = .other("<not a number>")
        }
        func string(_ key: Keys) throws -> String? {
            do {
                return try container.decodeIfPresent(String.self, forKey: key)
            } catch {
                throw FieldError(field: key.rawValue)
            }
        }
        accessKeyID = try string(.accessKeyID)
        secretAccessKey = try string(.secretAccessKey)
        sessionToken = try string(.sessionToken)
        expiration = try string(.expiration)
    }
}
