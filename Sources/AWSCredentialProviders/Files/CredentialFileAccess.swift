import AWSCore
import Foundation

/// Whether a file that holds AWS keys can be read or changed by anyone but its owner.
///
/// Keys in a file that its group or other users can read are as good as shared with them (and
/// one they can write lets them swap the keys). botocore does not check; ssh refuses such key
/// files. The watcher uses them but warns.
enum CredentialFileAccess {
    /// A warning naming the file, its mode and the fix, or nil when only the owner has access
    /// (or the file cannot be examined; reading it reports that).
    static func warning(forFileAt path: String) -> String? {
        // FileManager rather than stat(2): the C struct's members resolve to whichever module
        // first included <sys/stat.h>, which strict member-import checking does not accept.
        guard let permissions = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int else {
            return nil
        }
        let mode = permissions & 0o777
        guard mode & 0o077 != 0 else { return nil }
        let who = mode & 0o007 != 0 ? "every user on this machine" : "members of its group"
        return "\(path) holds AWS keys and is open to \(who) (mode \(String(mode, radix: 8))); "
            + "make it private: chmod 600 \(path)"
    }
}
