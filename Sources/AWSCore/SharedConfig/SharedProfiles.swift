/// The profiles of the shared config and credentials files, keyed the way botocore keys them.
package struct SharedProfiles: Sendable {
    /// The credentials file, if a path could be formed.
    package var credentialsFile: LoadedINIFile?
    /// The config file, if a path could be formed.
    package var configFile: LoadedINIFile?

    /// Loads both files; either may be missing.
    package static func load(_ locations: SharedFileLocations, source: String) throws(CredentialError) -> SharedProfiles {
        SharedProfiles(
            credentialsFile: try locations.credentialsFile.map { path throws(CredentialError) in
                try LoadedINIFile.load(path, source: source)
            },
            configFile: try locations.configFile.map { path throws(CredentialError) in
                try LoadedINIFile.load(path, source: source)
            }
        )
    }

    /// The credentials file's `[name]` section: no `profile ` prefix there.
    func credentialsSection(_ profile: String) -> [String: String]? {
        credentialsFile?.contents?[section: profile]
    }

    /// The config file's profile: `[profile name]`, or `[default]` / `[profile default]`.
    package func configProfile(_ profile: String) -> [String: String]? {
        guard let sections = configFile?.contents?.sections else { return nil }
        return Self.configProfiles(sections)[profile]
    }

    /// The config profile with the credentials file's section laid over it, as botocore's
    /// `Session.full_config` does; this is where `credential_process` and role settings are read.
    package func mergedProfile(_ profile: String) -> [String: String]? {
        let fromConfig = configProfile(profile)
        let fromCredentials = credentialsSection(profile)
        guard fromConfig != nil || fromCredentials != nil else { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentialsValue in credentialsValue }
    }

    /// The config file's `[services name]` section (botocore: `services` in its `full_config`).
    func servicesSection(_ name: String) -> [String: String]? {
        guard let sections = configFile?.contents?.sections else { return nil }
        return Self.namedSections(sections, kind: "services")[name]
    }

    /// A warning for each file that is there but could not be read (and so was skipped).
    package var unreadableWarnings: [String] {
        [credentialsFile, configFile].compactMap { $0?.unreadableWarning }
    }

    /// The paths looked at, for messages.
    package var summaries: [String] {
        [credentialsFile, configFile].compactMap { $0?.summary }
    }

    /// botocore's `build_profile_map`: a section whose name starts with `profile` and splits
    /// (shell-style) into exactly two words names a profile; `[default]` is one too; anything
    /// else is not. A later section replaces an earlier one of the same profile.
    package static func configProfiles(_ sections: [INIFile.Section]) -> [String: [String: String]] {
        namedSections(sections, kind: "profile", orNamed: "default")
    }

    /// botocore's `_parse_section` over the sections whose names start with `kind`: `[kind name]`
    /// split shell-style into exactly two words is the section of `name`; `plain`, if given,
    /// names one without the prefix.
    package static func namedSections(
        _ sections: [INIFile.Section], kind: String, orNamed plain: String? = nil
    ) -> [String: [String: String]] {
        var named: [String: [String: String]] = [:]
        for section in sections {
            if section.name.hasPrefix(kind) {
                guard let words = try? ShellWords.split(section.name), words.count == 2 else { continue }
                named[words[1]] = section.values
            } else if let plain, section.name == plain {
                named[plain] = section.values
            }
        }
        return named
    }
}
