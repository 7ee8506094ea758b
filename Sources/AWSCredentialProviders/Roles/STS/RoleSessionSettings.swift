import AWSCore
import Foundation
import Model

/// What the role-assuming sources share: where STS is, how to reach it, and the clock; worked
/// out from the selected profile (its `region`, else `AWS_DEFAULT_REGION`, as botocore's session
/// does) when a role is first assumed, so a setting only STS uses cannot stop anyone else.
struct RoleSessionSettings: Sendable {
    var profile: String
    var locations: SharedFileLocations
    var environment: [String: String]
    var transport: HTTPTransport
    var now: @Sendable () -> Date
    /// How long a `credential_process` of a source profile may run.
    var processTimeout: Duration
    /// Whether such a `credential_process` runs in a process group of its own.
    var processOwnProcessGroup = false
    /// How retries of STS and such a `credential_process`'s timeout are waited.
    var sleep: Sleep = taskSleep

    /// A client for the STS endpoint these settings name.
    func stsClient(source: String) throws(CredentialError) -> STSClient {
        let profiles = try SharedProfiles.load(locations, source: source)
        let settings = profiles.mergedProfile(profile) ?? [:]
        let region = settings["region"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["AWS_DEFAULT_REGION"].flatMap { $0.isEmpty ? nil : $0 }
        let endpoints: ProfileEndpointSettings?
        do {
            endpoints = try ProfileEndpointSettings.read(profile: profile, from: profiles)
        } catch {
            throw CredentialError(.invalidConfiguration, source: source, message: error.message)
        }
        let endpoint = try STSEndpoint.resolve(
            region: region, profile: settings, profileLabel: "profile \(profile)", endpoints: endpoints,
            environment: environment, source: source)
        return STSClient(endpoint: endpoint, transport: transport, source: source, now: now, sleep: sleep)
    }

    /// botocore's session name when none is configured: `botocore-session-<epoch seconds>`.
    func defaultSessionName() -> String {
        "botocore-session-\(Int(now().timeIntervalSince1970))"
    }
}
