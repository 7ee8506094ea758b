import Foundation
import Testing
@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import AWSSigning
import Model

/// Every parser of outside input, fed mutated inputs for a fixed budget (see ``Mutator``):
/// none may crash or hang, and each bad input must come back as an error a person can read,
/// one that never repeats a secret the input held.
@Suite struct ParserFuzzTests {
    /// Present in the seeds' secret fields; no error message may contain them.
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYFUZZSECRET"
    static let token = "IQoJb3JpZ2luX2VjEFUZZTOKENnF0aGVydmVyc2lvbj0x"
    static let pool = try! IdentityPoolID(validating: "us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a")

    static func leaksSecret(_ text: String) -> Bool {
        text.contains(secret) || text.contains(token)
    }

    /// Runs `check` on `Mutator.iterations` inputs; stops at the first failure and names the
    /// seed, the iteration and the input.
    static func fuzz(seeds: [String], salt: UInt64, check: ([UInt8]) -> String?) {
        var mutator = Mutator(seeds: seeds, salt: salt)
        for iteration in 0..<Mutator.iterations {
            let input = mutator.next()
            if let problem = check(input) {
                Issue.record("FUZZ_SEED=\(Mutator.seed) iteration \(iteration): \(problem)\ninput: \(Mutator.show(input))")
                return
            }
        }
    }

    @Test func configurationParser() throws {
        let example = try String(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config.example.json"), encoding: .utf8)
        let seeds = [
            example,
            #"{"pools": [{"id": "us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a"}]}"#,
            #"{"aws": {"endpoint": "http://127.0.0.1:4600"}, "limits": {"maxRequestsPerSecond": 0.5}, "defaults": {"jitter": 0.2}, "pools": ["eu-west-1:9c3e5a7b-1d2f-4a6c-8e0b-3f5d7a9c1e2b"]}"#,
        ]
        Self.fuzz(seeds: seeds, salt: 1) { input in
            do {
                _ = try ConfigurationParser.parse(Data(input))
                return nil
            } catch {
                let text = String(describing: error)
                return MessageChecks.isClean(text, allowNewlines: true, limit: 20_000) ? nil : "unreadable error: \(text.debugDescription)"
            }
        }
    }

    @Test func credentialsFileParser() {
        let seeds = [
            "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = \(Self.secret)\naws_session_token = \(Self.token)\n",
            "# comment\n[profile prod]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 10\n[prod]\naws_access_key_id=AKID\naws_secret_access_key=\(Self.secret)\n",
            "[bulk-publish-watcher]\naws_access_key_id = AKID ; inline\naws_secret_access_key = \(Self.secret)\n",
        ]
        Self.fuzz(seeds: seeds, salt: 2) { input in
            let text = String(decoding: input, as: UTF8.self)
            let file: INIFile
            do {
                file = try INIFile(parsing: text)
            } catch {
                let text = String(describing: error)
                if Self.leaksSecret(text) { return "the parse error repeats the secret" }
                return MessageChecks.isClean(text) && text.hasPrefix("line ") ? nil : "unreadable error: \(text.debugDescription)"
            }
            for section in file.sections {
                do {
                    _ = try StaticProfileKeys.credentials(in: section.values, location: "[\(section.name)] in credentials", source: "fuzz")
                } catch {
                    let message = String(describing: error)
                    if Self.leaksSecret(message) { return "the credential error repeats the secret: \(message.debugDescription)" }
                    if message.isEmpty { return "an empty credential error" }
                }
            }
            return nil
        }
    }

    @Test func credentialProcessOutput() {
        let seeds = [
            #"{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "\#(Self.secret)", "SessionToken": "\#(Self.token)", "Expiration": "2026-11-29T12:00:00Z"}"#,
            #"{"Version": 1, "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "\#(Self.secret)"}"#,
            #"{"Version": 2, "AccessKeyId": "AKID", "SecretAccessKey": "\#(Self.secret)", "Expiration": "2026-11-29T12:00:00.123+01:00"}"#,
        ]
        Self.fuzz(seeds: seeds, salt: 3) { input in
            do {
                _ = try ProcessCredentialProvider.parse(Data(input), program: "helper", source: "credential_process")
                return nil
            } catch {
                let message = String(describing: error)
                if Self.leaksSecret(message) { return "the error repeats the secret: \(message.debugDescription)" }
                return MessageChecks.isClean(message) ? nil : "unreadable error: \(message.debugDescription)"
            }
        }
    }

    @Test func restJSONErrorParser() {
        let seeds = [
            #"{"__type": "NotAuthorizedException", "message": "Not authorized"}"#,
            #"{"__type": "com.amazonaws.cognito.sync.model#ResourceNotFoundException", "Message": "IdentityPool 'us-east-1:x' not found."}"#,
            #"{"message": "The request signature we calculated does not match. The Canonical String for this request should have been\n'POST\n/identitypools/x\n\nx-amz-security-token:\#(Self.token)\n'"}"#,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "",
        ]
        let types = ["ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/", "InvalidSignatureException", ""]
        var headerDraws = SplitMix(state: Mutator.seed)
        Self.fuzz(seeds: seeds, salt: 4) { input in
            let status = [400, 403, 404, 429, 500, 502, 503][Int(headerDraws.next() % 7)]
            var headers = [(name: "x-amzn-RequestId", value: "0f1e2d3c")]
            let type = types[Int(headerDraws.next() % UInt64(types.count))]
            if !type.isEmpty { headers.append((name: "x-amzn-ErrorType", value: type)) }
            if headerDraws.next() % 3 == 0 { headers.append((name: "x-amz-retry-after", value: String(decoding: input.prefix(8), as: UTF8.self))) }
            let error = RestJSONErrorParser.parse(statusCode: status, headers: headers, body: input)
            if error.code.isEmpty || error.code.contains(where: { $0.isWhitespace || $0.isNewline }) {
                return "unusable code \(error.code.debugDescription)"
            }
            // AWS quotes a session token in the canonical request of a signature mismatch; a
            // token after the start of such a quote must never be passed on.
            let text = String(decoding: input, as: UTF8.self).lowercased()
            let quoteStart = ["canonical string", "string-to-sign", "x-amz-security-token"]
                .compactMap { text.range(of: $0)?.lowerBound }.min()
            if let quoteStart, let token = text.range(of: Self.token.lowercased()), token.lowerBound > quoteStart,
               Self.leaksSecret(error.description) {
                return "the error repeats the session token: \(error.description.debugDescription)"
            }
            return MessageChecks.isClean(error.description) ? nil : "unreadable error: \(error.description.debugDescription)"
        }
    }

    /// A pool seen for the first time, and one restored mid-run, with a short stall limit.
    static let machines: [PoolStateMachine] = {
        let settings = PoolSettings(stallAfter: .seconds(60))
        let watched = WatchedPool(id: pool, settings: settings)
        var running = PoolStateMachine(pool: watched)
        _ = running.observe(BulkPublishDetails(status: .inProgress, startTime: now.addingTimeInterval(-30)), at: now)
        return [PoolStateMachine(pool: watched), running]
    }()
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func bulkPublishDetailsResponse() {
        let seeds = [
            #"{"IdentityPoolId": "us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a", "BulkPublishStatus": "FAILED", "BulkPublishStartTime": 1.8e9, "BulkPublishCompleteTime": 1800000600.25, "FailureMessage": "Unable to write to Kinesis stream.\nRetry later."}"#,
            #"{"IdentityPoolId": "us-east-1:6e1d9e3a-2f4b-4c8d-9a7e-5b3c1f0d2e4a", "BulkPublishStatus": "IN_PROGRESS", "BulkPublishStartTime": 1800000000}"#,
            #"{"BulkPublishStatus": "NOT_STARTED"}"#,
            #"{"BulkPublishStatus": "SUCCEEDED", "BulkPublishStartTime": 253402300799, "BulkPublishCompleteTime": -62135596800}"#,
            // No date at all: must be refused, never carried on into arithmetic that overflows.
            #"{"BulkPublishStatus": "IN_PROGRESS", "BulkPublishStartTime": 1e300}"#,
        ]
        Self.fuzz(seeds: seeds, salt: 5) { input in
            do {
                let details = try CognitoSyncClient.decodeDetails(input, for: Self.pool)
                // What the loop does with an answer next: the state machine's events and their
                // text, now and a day later (durations and the stall check use the timestamps).
                for start in Self.machines {
                    var machine = start
                    for now in [Self.now, Self.now.addingTimeInterval(86_400)] {
                        for event in machine.observe(details, at: now) where event.message.isEmpty || event.identity.isEmpty {
                            return "an event without message or identity: \(event)"
                        }
                    }
                }
                return nil
            } catch {
                let text = String(describing: error)
                return MessageChecks.isClean(text) ? nil : "unreadable error: \(text.debugDescription)"
            }
        }
    }

    /// STS's XML answers: successes, errors (one quoting a canonical request with the session
    /// token, as a refused signature's does), and everything mutated from them.
    @Test func stsResponses() {
        let seeds = [
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <AssumeRoleResult>\n    <Credentials>\n      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n      <SecretAccessKey>\(Self.secret)</SecretAccessKey>\n      <SessionToken>\(Self.token)</SessionToken>\n      <Expiration>2026-12-05T10:26:48.165977Z</Expiration>\n    </Credentials>\n  </AssumeRoleResult>\n</AssumeRoleResponse>\n",
            "<?xml version=\"1.0\"?><ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/x is not authorized &amp; &#x41;</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
            "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match. The Canonical String for this request should have been 'POST\n/\n\nx-amz-security-token:\(Self.token)\n'</Message></Error></ErrorResponse>",
        ]
        Self.fuzz(seeds: seeds, salt: 6) { input in
            let error = STSErrorResponse.parse(status: 403, headers: [], body: input)
            let text = error.message(action: "AssumeRole", role: "arn:aws:iam::123456789012:role/r")
            guard MessageChecks.isClean(text), !Self.leaksSecret(text) else { return "unusable error message: \(text.debugDescription)" }
            do {
                let document = try STSXML(parsing: input)
                _ = document.root.find(["AssumeRoleResult", "Credentials", "AccessKeyId"])
                return nil
            } catch {
                let problem = String(describing: error)
                return MessageChecks.isClean(problem) && !Self.leaksSecret(problem) ? nil : "unreadable problem: \(problem.debugDescription)"
            }
        }
    }
}
