public import Foundation
public import Model

/// The hook spool as one JSON file per waiting event under `<state directory>/hooks/`.
///
/// The file holds exactly what the hook reads on standard input (``HookPayload/json()``), so it
/// is handed to the hook as its stdin and a retry after a restart sees the same bytes. Its name
/// is the event's identity, made safe for a file name, which is what deduplicates.
public struct FileHookSpool: HookSpool {
    public let directory: URL

    /// Uses `<stateDirectory>/hooks`, creating it if needed.
    public init(stateDirectory: URL) throws {
        directory = stateDirectory.appendingPathComponent("hooks", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StateStoreError("cannot create the hook spool \(directory.path): \((error as NSError).localizedDescription); "
                + "the state directory must be writable by the service")
        }
    }

    /// `<identity>.json` with every byte outside `A-Z a-z 0-9 . _ -` written as `%XX`: one name
    /// per identity, and never a `/` or a leading dot.
    public static func fileName(for eventID: String) -> String {
        var name = ""
        for byte in eventID.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || character == "_" || character == "-"
                || (character == "." && !name.isEmpty) {
                name.append(character)
            } else {
                name += String(format: "%%%02X", byte)
            }
        }
        return name + ".json"
    }

    public func add(_ payload: HookPayload) throws -> SpooledHook {
        let hook = SpooledHook(name: Self.fileName(for: payload.eventId), payload: payload)
        let file = directory.appendingPathComponent(hook.name)
        // Already waiting: the same event derived again (its state not yet saved) runs once, and
        // with what was spooled first, so its variables agree with the stdin it reads.
        if FileManager.default.fileExists(atPath: file.path) {
            let stored = (try? Data(contentsOf: file)).flatMap { try? JSONDecoder().decode(HookPayload.self, from: $0) }
            return SpooledHook(name: hook.name, payload: stored ?? payload)
        }
        let data: Data
        do {
            data = try payload.json()
        } catch {
            throw StateStoreError("cannot encode the hook input of \(payload.eventId): \(error)")
        }
        try DurableFile.replace(file, with: data, temporary: directory.appendingPathComponent(".\(hook.name).tmp"))
        return hook
    }

    public func pending() -> (hooks: [SpooledHook], warnings: [String]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            return ([], ["cannot list the hook spool \(directory.path): \((error as NSError).localizedDescription); "
                + "hooks left waiting by the previous run start again at the next start"])
        }
        var hooks: [SpooledHook] = []
        var warnings: [String] = []
        // Dot files are temporary files a crash left behind: never complete, never run.
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = directory.appendingPathComponent(name)
            do {
                let payload = try JSONDecoder().decode(HookPayload.self, from: Data(contentsOf: file))
                hooks.append(SpooledHook(name: name, payload: payload))
            } catch {
                let aside = file.path + ".corrupt"
                let moved = (try? FileManager.default.moveItem(atPath: file.path, toPath: aside)) != nil
                warnings.append("the waiting hook input \(file.path) cannot be read; "
                    + (moved ? "moved it to \(aside), and its hook will not run" : "its hook will not run"))
            }
        }
        // Oldest event first; the name breaks ties so the order is the same at every start.
        hooks.sort { ($0.payload.observedAt, $0.name) < ($1.payload.observedAt, $1.name) }
        return (hooks, warnings)
    }

    public func inputPath(for hook: SpooledHook) -> String {
        directory.appendingPathComponent(hook.name).path
    }

    public func remove(_ hook: SpooledHook) throws {
        do {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(hook.name))
        } catch CocoaError.fileNoSuchFile {
            // Already gone: what removing it was for.
        } catch {
            throw StateStoreError("cannot remove \(inputPath(for: hook)): \((error as NSError).localizedDescription)")
        }
    }
}
