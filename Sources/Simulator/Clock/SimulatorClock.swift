public import Foundation
public import NIOCore

/// The simulator's idea of "now", injected so that timelines, signature dates and slow answers
/// can be driven by hand in tests.
public protocol SimulatorClock: Sendable {
    /// The current time.
    func now() -> Date

    /// A future that succeeds on `eventLoop` once the clock has reached `deadline`.
    ///
    /// Slow answers wait on this instead of blocking a thread, so a test clock can release them
    /// when the test moves time forward.
    func wait(until deadline: Date, on eventLoop: any EventLoop) -> EventLoopFuture<Void>
}
