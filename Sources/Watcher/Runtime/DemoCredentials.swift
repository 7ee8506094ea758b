import AWSClient
import AWSCore
import AWSCredentialProviders
import AWSSigning
import Simulator

/// The simulator's demo key pair, handed to the client directly: the demo never reads the
/// user's environment, files or instance role.
struct DemoCredentials: CredentialProvider {
    let sourceName = "the simulator's demo key pair"

    func credentials() async throws -> AWSCredentials {
        AWSCredentials(accessKeyID: ScenarioCredential.demo.accessKeyID, secretAccessKey: ScenarioCredential.demo.secretAccessKey)
    }
}
