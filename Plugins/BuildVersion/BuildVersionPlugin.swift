import Foundation
import PackagePlugin

/// Writes the build's version (`VERSION`'s release number and the git commit, see
/// `scripts/build-version`) into a Swift source of the target before every build, so that a
/// plain `swift build` of a fresh clone knows its version without tags or a script run first.
/// The file lives in the plugin's work folder under `.build/`, never in the source tree, so it
/// cannot make the checkout look changed; it is rewritten only when the version changes.
@main
struct BuildVersionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let script = context.package.directoryURL.appending(path: "scripts/build-version")
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        return [
            // A prebuild command, as the commit can change with no input file of the build changing.
            .prebuildCommand(
                displayName: "Version of this build (scripts/build-version)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, "--swift", output.appending(path: "BuildVersion.generated.swift").path],
                outputFilesDirectory: output
            ),
        ]
    }
}
