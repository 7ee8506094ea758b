/// Every problem found in a configuration, reported together so one edit can fix them all.
public typealias ConfigurationError = JSONDocumentError<WatcherConfiguration>

/// One thing wrong with a configuration: where (a JSON path such as `pools[2].id`), what, and
/// how to fix it.
public typealias ConfigurationProblem = JSONProblem

extension WatcherConfiguration: JSONDocument {
    public static let documentName = "configuration"
}
