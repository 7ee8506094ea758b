import Foundation

/// A bound on the children that cost a core while they run (a Python oracle importing botocore,
/// the test binary started again as a child): as many at once as the machine has cores.
///
/// Each waits on a thread of its own (``onOwnThread(_:)-(()throws->T)``), so nothing holds up
/// Swift's pool; without this bound every such test would start its child at the same moment,
/// and a dozen interpreters starting on 2 cores slow every other test's loopback requests
/// past their timeouts.
public actor ChildSlots {
    public static let shared = ChildSlots(width: ProcessInfo.processInfo.activeProcessorCount)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(width: Int) {
        free = max(width, 1)
    }

    /// Runs `work`, which starts a child and waits for it, once a slot is free.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await onOwnThread(work)
    }

    private func acquire() async {
        guard free == 0 else {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
