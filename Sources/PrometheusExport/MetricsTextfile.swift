import AtomicFile
import Foundation
public import Logging
public import Model
import Synchronization

/// Keeps a file with the metrics up to date for node_exporter's textfile collector.
///
/// A change marks the file stale; the write follows `delay` later, so a burst of polls costs one
/// write, and an idle daemon writes nothing. The file is replaced whole (a temporary file renamed
/// over it, so node_exporter never reads half a file) and is readable by everyone: node_exporter
/// runs as another user, and the service's umask would otherwise leave the file to its owner.
public final class MetricsTextfile: Sendable {
    public let path: String
    private let render: @Sendable () -> [UInt8]
    private let delay: Duration
    private let sleep: Sleep
    private let logger: Logger
    private let stale = Atomic<Bool>(false)
    /// The last write's failure, so a lasting one is logged once, and its end too.
    private let lastFailure = Mutex<String?>(nil)

    public init(
        path: String, delay: Duration = .seconds(1), sleep: @escaping Sleep = taskSleep, logger: Logger,
        render: @escaping @Sendable () -> [UInt8]
    ) {
        self.path = path
        self.delay = delay
        self.sleep = sleep
        self.logger = logger
        self.render = render
    }

    /// Marks the file stale: it is written `delay` from the first change after the last write.
    public func changed() {
        guard !stale.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task { [self] in
            try? await sleep(delay)
            writeNow()
        }
    }

    /// Writes the file at once (at start, and at stop so the last state is kept).
    public func writeNow() {
        stale.store(false, ordering: .releasing)
        let failure = Self.replace(path, with: Data(render()))
        lastFailure.withLock { last in
            if let failure, failure != last {
                logger.warning("cannot write the metrics file", metadata: ["file": "\(path)", "error": "\(failure)"])
            } else if failure == nil, last != nil {
                logger.notice("the metrics file is written again", metadata: ["file": "\(path)"])
            }
            last = failure
        }
    }

    /// Writes `data` to a temporary file beside `path` (a name node_exporter does not read) and
    /// renames it over `path`; returns why that failed, in words. Not synced: the file is
    /// rewritten within seconds, and a restart writes it again.
    static func replace(_ path: String, with data: Data) -> String? {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp").path
        do {
            try AtomicFile.replace(path, with: data, permissions: 0o644, durability: .unsynced, temporary: temporary)
            return nil
        } catch where error.step == .write {
            return "\(error); the folder must exist and be writable by the service "
                + "(under systemd: a ReadWritePaths= drop-in, see the README's Monitoring section)"
        } catch {
            return error.description
        }
    }
}
