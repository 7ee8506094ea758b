public import Model
import Synchronization

/// The hook settings in force, shared by the sink (which events to spool) and the runner (which
/// command to run, how long, how often): a reload replaces them for both at once.
public final class CurrentHookSettings: Sendable {
    private let settings: Mutex<HookSettings>

    public init(_ settings: HookSettings) {
        self.settings = Mutex(settings)
    }

    public var value: HookSettings {
        settings.withLock { $0 }
    }

    public func replace(with new: HookSettings) {
        settings.withLock { $0 = new }
    }
}
