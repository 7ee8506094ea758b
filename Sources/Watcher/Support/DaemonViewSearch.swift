import Daemon
import Foundation
import Model

/// Finds and reads the daemon's status file for `daemon-status`, turning what the file system
/// says into what a person does about it.
enum DaemonViewSearch {
    /// The largest status file read: about 450 bytes a pool, so room for 500,000 pools.
    static let maximumSize = 256 * 1024 * 1024

    /// The first of `candidates` that exists, read; the report says "not running" when none does.
    static func report(_ candidates: [URL], now: Date) throws(CommandFailure) -> DaemonViewReport {
        for candidate in candidates {
            let size: Int
            do {
                size = (try FileManager.default.attributesOfItem(atPath: candidate.path)[.size] as? Int) ?? 0
            } catch {
                switch Self.posixCode(error) {
                case EACCES where candidate.path.hasPrefix(DaemonViewLocation.unitDirectory + "/"):
                    // The unit's runtime directory exists, so the service runs, but only the
                    // admin group may look inside.
                    throw CommandFailure(.usage, "cannot read \(candidate.path): permission denied. Root and the members of the group "
                        + "\(DaemonViewLocation.adminGroup) may read it: add your user to that group "
                        + "(sudo usermod -a -G \(DaemonViewLocation.adminGroup) \(userName())) and log in again, or use sudo")
                case ENOENT, ENOTDIR, EACCES:
                    // Not there, or in a folder this user may not look into (a state directory
                    // under /var/lib/private): look at the next place.
                    continue
                default:
                    throw CommandFailure(.daemonNotRunning, "cannot look at \(candidate.path): \((error as NSError).localizedDescription)")
                }
            }
            let view = try read(candidate, size: size)
            return DaemonViewReport(file: candidate.path, view: view, now: now, processExists: processExists(view.pid))
        }
        return DaemonViewReport(file: candidates.first?.path ?? DaemonView.fileName, alsoSearched: candidates.dropFirst().map(\.path),
                                view: nil, now: now, processExists: nil)
    }

    private static func read(_ file: URL, size: Int) throws(CommandFailure) -> DaemonView {
        guard size <= maximumSize else {
            throw CommandFailure(.daemonNotRunning, "\(file.path) is \(size) bytes, more than a status file of the daemon can be; is it the right file?")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: file.path)
                ? (error as NSError).localizedDescription
                : "permission denied (run as the user the daemon runs as, or as root)"
            throw CommandFailure(.daemonNotRunning, "cannot read \(file.path): \(reason)")
        }
        do {
            return try DaemonView.decode(data)
        } catch {
            throw CommandFailure(.daemonNotRunning, "\(file.path) cannot be used: \(error.reason)")
        }
    }

    /// Whether process `pid` exists: signal 0 checks without sending anything (EPERM: it exists
    /// but belongs to another user, as the service's does). `nil` when that cannot be told.
    private static func processExists(_ pid: Int32) -> Bool? {
        guard pid > 0 else { return nil }
        if kill(pid, 0) == 0 { return true }
        switch errno {
        case EPERM: return true
        case ESRCH: return false
        default: return nil
        }
    }

    /// The POSIX error behind a file system error of Foundation's.
    private static func posixCode(_ error: any Error) -> Int32? {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileReadNoSuchFile, .fileNoSuchFile: return ENOENT
        case .fileReadNoPermission: return EACCES
        default: return nil
        }
    }

    private static func userName() -> String {
        ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "USER"
    }
}
