#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import ProcessSupport
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning

struct ProcessCredentialProviderTests {
    private let environment = ["PATH": "/usr/bin:/bin"]

    @Test func readsVersionOneOutput() async throws {
        let directory = try ScratchDirectory()
        let script = try directory.script("helper", """
            echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "secretProc",'
            echo ' "SessionToken": "tokenProc", "Expiration": "2030-01-02T03:04:05Z"}'
            """)
        let credentials = try await ProcessCredentialProvider(command: script, environment: environment).credentials()
        #expect(credentials == AWSCredentials(
            accessKeyID: "AKIDPROC", secretAccessKey: "secretProc", sessionToken: "tokenProc",
            expiration: Date(timeIntervalSince1970: 1_893_553_445)))
    }

    @Test func passesArgumentsSplitLikeShlexAndTheEnvironment() async throws {
        let directory = try ScratchDirectory()
        // The script reports its arguments and one environment variable through the key id.
        let script = try directory.script("echo args", """
            printf '{"Version": 1.0, "AccessKeyId": "%s|%s|%s|%s", "SecretAccessKey": "s"}' "$1" "$2" "$3" "$MARKER"
            """)
        let command = "'\(script)' \"two words\" 'single $HOME' back\\ slash"
        let credentials = try await ProcessCredentialProvider(
            command: command, environment: environment.merging(["MARKER": "m"]) { $1 }
        ).credentials()
        #expect(credentials.accessKeyID == "two words|single $HOME|back slash|m")
        #expect(credentials.sessionToken == nil)
        #expect(credentials.expiration == nil)
    }

    @Test func findsTheProgramInPath() async throws {
        let directory = try ScratchDirectory()
        try directory.script("bin/aws-creds-helper", #"echo '{"Version": 1, "AccessKeyId": "AKIDPATH", "SecretAccessKey": "s"}'"#)
        let provider = ProcessCredentialProvider(
            command: "aws-creds-helper --flag", environment: ["PATH": "/nonexistent:\(directory.path)/bin"])
        #expect(try await provider.credentials().accessKeyID == "AKIDPATH")
        let missing = ProcessCredentialProvider(command: "no-such-helper", environment: ["PATH": directory.path])
        let error = await #expect(throws: CredentialError.self) { try await missing.credentials() }
        #expect(error?.message == "no-such-helper was not found in PATH")
    }

    @Test func nonZeroExitIsAnErrorQuotingStderr() async throws {
        let directory = try ScratchDirectory()
        let script = try directory.script("helper", """
            echo '{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "stdout-secret"}'
            echo "token expired; run login" >&2
            exit 3
            """)
        let error = await #expect(throws: CredentialError.self) {
            try await ProcessCredentialProvider(command: script, environment: environment).credentials()
        }
        #expect(error?.code == .processFailed)
        #expect(error?.message == "\(script) exited with status 3: token expired; run login")
    }

    @Test func stderrQuoteIsBounded() async throws {
        let directory = try ScratchDirectory()
        let script = try directory.script("helper", "head -c 100000 /dev/zero | tr '\\0' x >&2; exit 1")
        let error = await #expect(throws: CredentialError.self) {
            try await ProcessCredentialProvider(command: script, environment: environment).credentials()
        }
        let message = try #require(error?.message)
        #expect(message.count < 1200)
        #expect(message.hasSuffix("xxx…"))
    }

    @Test(arguments: [
        ("echo 'not json'", "helper did not print a JSON object"),
        (#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}'"#,
         "unsupported version '2' for credential process output, supported versions: 1"),
        (#"echo '{"AccessKeyId": "A", "SecretAccessKey": "S"}'"#,
         "unsupported version '<Version key not provided>' for credential process output, supported versions: 1"),
        (#"echo '{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "S"}'"#,
         "unsupported version '1' for credential process output, supported versions: 1"),
        (#"echo '{"Version": 1, "SecretAccessKey": "S"}'"#, "missing required key in output: AccessKeyId"),
        (#"echo '{"Version": 1, "AccessKeyId": "A"}'"#, "missing required key in output: SecretAccessKey"),
        (#"echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "soon"}'"#,
         "Expiration is not an ISO 8601 time"),
        (#"echo '{"Version": 1, "AccessKeyId": 7, "SecretAccessKey": "S"}'"#,
         "helper printed JSON whose AccessKeyId is not a string"),
    ])
    func unusableOutputIsAnError(_ body: String, _ expected: String) async throws {
        let directory = try ScratchDirectory()
        let script = try directory.script("helper", body)
        let error = await #expect(throws: CredentialError.self) {
            try await ProcessCredentialProvider(command: "helper", environment: ["PATH": directory.path]).credentials()
        }
        #expect(error?.code == .processFailed)
        #expect(error?.message == expected, "script \(script)")
    }

    /// The kill can only be checked on a helper that got to run, and starting a shell can take a
    /// loaded machine longer than a short timeout. Once the call has returned, the helper has been
    /// killed and reaped, so its pid file is there (written whole, by a rename) or never will be:
    /// an attempt whose helper was killed before it wrote one is repeated with twice the timeout.
    @Test func aHelperThatHangsIsKilledAtTheTimeout() async throws {
        let directory = try ScratchDirectory()
        var attempt = 0
        // The premise is that the helper starts before its timeout; an attempt in which a busy
        // machine lost that race is made again with a longer one.
        let judged = try await withGrowingBudget(from: .milliseconds(300), tries: 8) { timeout in
            attempt += 1
            let pidFile = directory.file("pid-\(attempt)")
            // The helper ignores SIGTERM, as one started by a daemon that ignores it would.
            let script = try directory.script(
                "helper-\(attempt)", "trap '' TERM; echo $$ > '\(pidFile).new' && mv '\(pidFile).new' '\(pidFile)'; exec sleep 30")
            let error = await #expect(throws: CredentialError.self) {
                try await ProcessCredentialProvider(command: script, environment: environment, timeout: timeout).credentials()
            }
            let message = try #require(error?.message)
            if attempt == 1 {
                #expect(message == "\(script) did not finish within 0.3 s and was stopped")
            } else {
                #expect(message.hasPrefix("\(script) did not finish within ") && message.hasSuffix(" s and was stopped"), "\(message)")
            }
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return false }
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(ProcessEnd.hasEnded(pid), "helper \(pid) still running once the call returned")
            return true
        }
        #expect(judged, "the helper never started within its timeout, though the last attempt gave it 38.4 s")
    }

    /// A poll given up (the daemon stopping, a reload) cancels the run: the helper is killed
    /// then, not left to its timeout, and the call ends with the cancellation.
    @Test func cancellingTheCallKillsTheHelper() async throws {
        let directory = try ScratchDirectory()
        let started = try StartSignal(path: directory.file("started"))
        let script = try directory.script("helper", "trap '' TERM; exec 3>'\(started.path)'; echo $$ >&3; exec sleep 30")
        let call = Task {
            try await ProcessCredentialProvider(command: script, environment: environment, timeout: .seconds(60)).credentials()
        }
        let line = try #require(await started.firstLine(timeout: .seconds(60)), "the helper did not start")
        let pid = try #require(Int32(line))
        call.cancel()
        let outcome = await call.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(ProcessEnd.hasEnded(pid), "helper \(pid) still running once the call returned")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func theHelperStartsWithNoSignalsBlocked() async throws {
        let directory = try ScratchDirectory()
        let script = try directory.script("helper", """
            mask=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/self/status)
            echo "{\\"Version\\": 1, \\"AccessKeyId\\": \\"$mask\\", \\"SecretAccessKey\\": \\"s\\"}"
            """)
        let credentials = try await ProcessCredentialProvider(command: script, environment: environment).credentials()
        #expect(credentials.accessKeyID == "0000000000000000")
    }

    @Test(arguments: ["", "   ", "'unclosed", "trailing\\"])
    func unusableCommandLinesAreErrors(_ command: String) async {
        let error = await #expect(throws: CredentialError.self) {
            try await ProcessCredentialProvider(command: command, environment: environment).credentials()
        }
        #expect(error?.code == .processFailed)
    }

    @Test func commandComesFromTheProfileCredentialsFileFirst() async throws {
        let directory = try ScratchDirectory()
        let fromConfig = try directory.script("from-config", #"echo '{"Version": 1, "AccessKeyId": "AKIDCONFIG", "SecretAccessKey": "s"}'"#)
        let fromCredentials = try directory.script("from-credentials", #"echo '{"Version": 1, "AccessKeyId": "AKIDCREDS", "SecretAccessKey": "s"}'"#)
        let config = try directory.write("[profile prod]\ncredential_process = \(fromConfig)\n[default]\ncredential_process = \(fromConfig) --default\n", to: "config")
        let environment = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": directory.file("credentials")]
        #expect(try await ProcessCredentialProvider(profile: "prod", environment: environment).credentials().accessKeyID == "AKIDCONFIG")
        try directory.write("[prod]\ncredential_process = \(fromCredentials)\n", to: "credentials")
        #expect(try await ProcessCredentialProvider(profile: "prod", environment: environment).credentials().accessKeyID == "AKIDCREDS")
        #expect(try await ProcessCredentialProvider(profile: "default", environment: environment).credentials().accessKeyID == "AKIDCONFIG")
        await expectNotConfigured(ProcessCredentialProvider(profile: "other", environment: environment))
    }

    @Test func manyConcurrentRunsDoNotStarveEachOther() async throws {
        let directory = try ScratchDirectory()
        let script = try directory.script("helper", #"echo "{\"Version\": 1, \"AccessKeyId\": \"$1\", \"SecretAccessKey\": \"s\"}""#)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await ProcessCredentialProvider(command: "\(script) AKID\(index)", environment: environment).credentials().accessKeyID
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids == Set((0..<16).map { "AKID\($0)" }))
    }
}
