import Foundation
import Testing
@testable import Model

/// The `hooks` section: commands per event, the retry settings, and what a wrong one is told.
struct HooksConfigurationTests {
    private func parse(_ hooks: String) throws(ConfigurationError) -> WatcherConfiguration {
        try ConfigurationParser.parse(Data("""
            {"pools": ["\(ConfigurationParserTests.id1)"], "hooks": \(hooks)}
            """.utf8))
    }

    private func problems(_ hooks: String) -> [String] {
        do {
            _ = try parse(hooks)
            return ["(none)"]
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func noSectionMeansNoHooksAndTheDefaults() throws {
        let configuration = try ConfigurationParser.parse(Data(#"{"pools": ["\#(ConfigurationParserTests.id1)"]}"#.utf8))
        #expect(configuration.hooks == HookSettings())
        #expect(configuration.hooks.commands.isEmpty)
        #expect(configuration.hooks.retrySchedule.delays == [10, 20, 40, 80, 160])
    }

    @Test func eachEventTakesACommandAndTheSettingsApply() throws {
        let hooks = try parse("""
            {"failed": ["/usr/local/bin/page-oncall", "--team", "data"], "stalled": ["/usr/bin/true"], "started": null,
             "timeoutSeconds": 5, "attempts": 3, "retryDelaySeconds": 2, "maxRetryDelaySeconds": 3}
            """).hooks
        #expect(hooks.commands == [
            .failed: HookCommand(executable: "/usr/local/bin/page-oncall", arguments: ["--team", "data"]),
            .stalled: HookCommand(executable: "/usr/bin/true"),
        ])
        #expect(hooks.timeout == 5)
        #expect(hooks.retrySchedule == HookRetrySchedule(attempts: 3, firstDelay: 2, maximumDelay: 3))
    }

    @Test func aCommandInOneStringIsRefusedWithTheArrayToWrite() {
        let found = problems(#"{"failed": "/usr/local/bin/page-oncall --team data"}"#)
        #expect(found.count == 1)
        #expect(found.first?.contains("hooks.failed") == true, "\(found)")
        #expect(found.first?.contains("no shell splits it into words") == true, "\(found)")
        #expect(found.first?.contains(#"["/usr/local/bin/page-oncall", "--team", "data"]"#) == true, "\(found)")
    }

    @Test func aProgramWithoutItsFullPathIsRefused() {
        let found = problems(#"{"succeeded": ["post-webhook", "--quiet"]}"#)
        #expect(found == [
            "hooks.succeeded[0]: 'post-webhook' is not an absolute path (the program runs without a shell and with the "
                + "service's PATH, so give its full path, e.g. \"/usr/local/bin/post-webhook\")",
        ])
    }

    @Test func everyMistakeIsNamedByItsKey() {
        let found = problems("""
            {"faild": ["/bin/true"], "anomaly": ["/bin/true"], "started": [], "stalled": ["/bin/x", 3],
             "timeoutSeconds": 0, "attempts": 1.5, "retryDelaySeconds": 60, "maxRetryDelaySeconds": 30}
            """)
        #expect(found.contains { $0.hasPrefix("hooks.faild: unknown key (did you mean 'failed'?)") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("hooks.anomaly: unknown key (hooks can be set for started, succeeded, failed and stalled") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("hooks.started: is empty") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("hooks.stalled[1]: must be a string, not a number") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("hooks.timeoutSeconds: 0 is out of range") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("hooks.attempts: must be a whole number") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("hooks.maxRetryDelaySeconds: the longest wait between tries (30 s) is shorter than the first (60 s)") }, "\(found)")
        #expect(found.count == 7, "\(found)")
    }

    @Test func aSectionThatIsNotAnObjectIsRefused() {
        #expect(problems(#"["/bin/true"]"#) == ["hooks: must be an object, not an array"])
    }

    @Test func theCommandIsShownWithoutWhatAURLMayHide() {
        let command = HookCommand(executable: "/usr/local/bin/post", arguments: [
            "--url", "https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://user:pw@example.com",
            "https://example.com", "http://example.com?token=SECRET", "plain",
        ])
        #expect(command.displayed == "/usr/local/bin/post --url https://hooks.slack.com/… https://example.com/… "
            + "https://example.com http://example.com/… plain")
        #expect(!command.displayed.contains("SECRET") && !command.displayed.contains("pw"))
    }
}
