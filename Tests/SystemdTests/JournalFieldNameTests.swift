import Systemd
import Testing

struct JournalFieldNameTests {
    @Test(arguments: ["MESSAGE", "A", "POOL_ID2", "X_", String(repeating: "A", count: 64)])
    func acceptsValidNames(name: String) {
        #expect(JournalFieldName.isValid(name))
        #expect(JournalField(name: name, value: "v") != nil)
    }

    @Test(arguments: ["", "_PID", "1ST", "message", "POOL-ID", "POOL ID", "ÄRGER", String(repeating: "A", count: 65)])
    func rejectsNamesJournaldDrops(name: String) {
        #expect(!JournalFieldName.isValid(name))
        #expect(JournalField(name: name, value: "v") == nil)
    }

    @Test(arguments: [
        ("pool.id", "POOL_ID"),
        ("request-id", "REQUEST_ID"),
        ("_private", "PRIVATE"),
        ("1st.try", "ST_TRY"),
        ("error.message", "ERROR_MESSAGE"),
        ("a  b..c", "A_B_C"),
        ("trailing.", "TRAILING"),
        ("grüße", "GR_SSE"),
    ] as [(String, String)])
    func sanitisesFreeFormKeys(key: String, expected: String) {
        #expect(JournalFieldName.sanitized(key) == expected)
    }

    @Test(arguments: ["", "...", "_", "123", "ü"])
    func givesUpOnKeysWithNothingUsable(key: String) {
        #expect(JournalFieldName.sanitized(key) == nil)
    }

    @Test func cutsLongKeysTo64Characters() throws {
        let name = try #require(JournalFieldName.sanitized(String(repeating: "k", count: 100)))
        #expect(name == String(repeating: "K", count: 64))
    }
}
