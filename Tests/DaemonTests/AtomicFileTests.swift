import AtomicFile
import Foundation
import ProcessSupport
import Testing

/// Replacing a file whole: exact permissions, the old content kept when a step fails, no
/// temporary file left behind, and a failure that names the step and the file.
struct AtomicFileTests {
    @Test(arguments: [AtomicFile.Durability.synced, .unsynced])
    func replacesTheContentWithExactlyThePermissionsAsked(_ durability: AtomicFile.Durability) throws {
        let directory = try ScratchDirectory()
        let target = try directory.write("old", to: "file")
        // 0666 is more than any usual umask lets open(2) give: only an explicit chmod sets it.
        try AtomicFile.replace(target, with: Data("new".utf8), permissions: 0o666, durability: durability)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int)
        #expect(mode == 0o666)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["file"], "no temporary file is left")
    }

    @Test func aMissingFolderIsAWriteFailureNamingTheTemporaryFile() throws {
        let directory = try ScratchDirectory()
        let target = directory.file("missing/file")
        let failure = #expect(throws: AtomicFile.Failure.self) {
            try AtomicFile.replace(target, with: Data("x".utf8), permissions: 0o600, durability: .synced)
        }
        #expect(failure?.step == .write)
        #expect(failure?.path.hasPrefix(directory.file("missing/.file.")) == true, "\(String(describing: failure))")
        #expect(failure?.description.hasPrefix("cannot write \(directory.file("missing/.file."))") == true)
        #expect(failure?.reason == "No such file or directory")
    }

    @Test func aTargetThatCannotBeReplacedKeepsItsContentAndLeavesNoTemporaryFile() throws {
        let directory = try ScratchDirectory()
        // A directory where the file should be: rename(2) refuses, as root too.
        let target = directory.file("state.json")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try directory.write("kept", to: "state.json/inside")
        let failure = #expect(throws: AtomicFile.Failure.self) {
            try AtomicFile.replace(target, with: Data("x".utf8), permissions: 0o600, durability: .synced, temporary: directory.file(".state.tmp"))
        }
        #expect(failure?.step == .replace)
        #expect(failure?.description == "cannot replace \(target): Is a directory")
        #expect(try String(contentsOfFile: directory.file("state.json/inside"), encoding: .utf8) == "kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.json"])
    }
}
