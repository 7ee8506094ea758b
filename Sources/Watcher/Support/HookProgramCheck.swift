import Foundation
import Model
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whether each hook's program can be run, checked where the daemon (or `check-config`) runs.
///
/// A warning, not an error: the program may be installed after the configuration, and a hook
/// that cannot start is retried and logged like any failing hook.
enum HookProgramCheck {
    /// One sentence per hook whose program is missing or not executable here.
    static func warnings(_ settings: HookSettings) -> [String] {
        HookSettings.hookableKinds.compactMap { kind in
            guard let command = settings.commands[kind] else { return nil }
            let path = command.executable
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return "hooks.\(kind.rawValue): \(path) does not exist; install it, or correct the path"
            }
            guard !isDirectory.boolValue, access(path, X_OK) == 0 else {
                return "hooks.\(kind.rawValue): \(path) is not an executable file; chmod +x it, or correct the path"
            }
            return nil
        }
    }
}
