import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Unix signals as an async sequence, bridged from `DispatchSource` at this one edge.
///
/// The signals are ignored for their default action first, so SIGTERM no longer kills the
/// process: the daemon shuts down in order instead.
enum SignalStream {
    /// A stream of the given signals, in the order they arrive.
    static func make(_ signals: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let queue = DispatchQueue(label: "cognito-sync-watcher.signals")
        let sources = SignalSources(signals.map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            return makeSource(number, queue: queue, continuation: continuation)
        })
        continuation.onTermination = { _ in sources.cancel() }
        return stream
    }

    /// Kept out of any actor context: a handler created in a `@MainActor` closure and run on
    /// another queue would trap.
    private nonisolated static func makeSource(
        _ number: Int32, queue: DispatchQueue, continuation: AsyncStream<Int32>.Continuation
    ) -> any DispatchSourceSignal {
        let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
        source.setEventHandler { continuation.yield(number) }
        source.resume()
        return source
    }
}

/// The signal sources of one stream, behind a lock because Dispatch sources are not `Sendable`.
private final class SignalSources: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>

    init(_ sources: sending [any DispatchSourceSignal]) {
        self.sources = Mutex(sources)
    }

    func cancel() {
        sources.withLock { list in
            for source in list { source.cancel() }
        }
    }
}
