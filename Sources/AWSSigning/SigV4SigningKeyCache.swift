import Synchronization

/// The last SigV4 signing key derived per region and service.
///
/// A signing key depends only on the secret, the day, the region and the service, so a client
/// that signs a request per poll would derive the same key (four HMACs) thousands of times a
/// day; the AWS SDKs for Java and Go keep it the same way. The key is kept for one secret and
/// one day: a rotated secret or the next day derives a new one. The cache holds the secret it
/// was derived from only to compare it (the same string the credentials already hold) and
/// never prints either.
public final class SigV4SigningKeyCache: Sendable {
    private struct Entry {
        let secretAccessKey: String
        let dateStamp: String
        let key: [UInt8]
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// The cached key for this secret, day, region and service, or the one `derive` makes
    /// (which is then kept).
    func key(secretAccessKey: String, dateStamp: String, region: String, service: String, derive: () -> [UInt8]) -> [UInt8] {
        let scope = region + "/" + service
        if let entry = entries.withLock({ $0[scope] }), entry.dateStamp == dateStamp, entry.secretAccessKey == secretAccessKey {
            return entry.key
        }
        let key = derive()
        entries.withLock { $0[scope] = Entry(secretAccessKey: secretAccessKey, dateStamp: dateStamp, key: key) }
        return key
    }
}
