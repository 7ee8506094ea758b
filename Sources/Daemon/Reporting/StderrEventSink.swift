import AtomicFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import Model

/// Writes each event as one readable line, for a terminal or any stderr that is not the journal:
///
///     2026-11-29T04:15:00Z err us-east-1:0f6e… (orders) IN_PROGRESS -> FAILED: Bulk publish of …
///
/// The time is when the watcher observed the event (it may be delivered again later), then the
/// severity as `journalctl -p` names it, the pool, the status change, and the sentence the journal
/// gets as `MESSAGE`. Control characters from the service's text are replaced, so a failure message
/// can neither break the line nor send escape sequences to the terminal.
public struct StderrEventSink: EventSink {
    /// Receives each finished line, newline included; throws if it could not be written.
    public typealias Writer = @Sendable (String) throws -> Void

    private let write: Writer

    /// A sink writing through `write`; tests pass a recorder.
    public init(write: @escaping Writer) {
        self.write = write
    }

    /// A sink writing to file descriptor 2.
    public static func standardError() -> StderrEventSink {
        writing(to: STDERR_FILENO)
    }

    /// A sink writing to `descriptor`, which must stay open as long as the sink is used.
    public static func writing(to descriptor: Int32) -> StderrEventSink {
        StderrEventSink { line in try FileDescriptorWriter.writeAll(line, to: descriptor) }
    }

    public func deliver(_ events: [WatchEvent]) throws {
        for event in events {
            try write(Self.line(for: event) + "\n")
        }
    }

    /// The line for `event`, without the newline.
    public static func line(for event: WatchEvent) -> String {
        var parts = [EventText.timestamp(event.observedAt), event.severity.description, event.poolID.rawValue]
        if let name = event.poolName {
            parts.append("(\(name))")
        }
        switch (event.previousStatus, event.status) {
        case (let previous?, let status?) where previous != status:
            parts.append("\(previous) -> \(status)")
        case (_, let status?):
            parts.append(status.rawValue)
        case (_, nil):
            break
        }
        // Unbounded: a line on stderr has no size limit, and a FailureMessage must be read whole.
        return OneLineText.sanitize(parts.joined(separator: " ") + ": " + event.message, maximumBytes: .max)
    }
}

/// Writes all of a string to a file descriptor (see `AtomicFile.writeAll`), with an error that
/// says it was standard error.
private enum FileDescriptorWriter {
    /// The errno of a failed `write(2)`.
    struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        let errno: Int32
        var description: String { "writing to standard error failed (errno \(errno))" }
    }

    static func writeAll(_ text: String, to descriptor: Int32) throws(WriteError) {
        if let code = Array(text.utf8).withUnsafeBytes({ AtomicFile.writeAll($0, to: descriptor) }) {
            throw WriteError(errno: code)
        }
    }
}
