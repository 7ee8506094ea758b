import Foundation
import Model

/// The pools a one-shot command works on: those named on the command line, else the
/// configuration's. A config file is read when `--config` is given, or when no pool is named.
struct PoolSelection {
    var pools: [WatchedPool]
    var configuration: WatcherConfiguration

    init(arguments: [String], configPath: String?, aws: AWSOptionGroup, environment: [String: String]) throws(CommandFailure) {
        var configuration: WatcherConfiguration
        if configPath != nil || arguments.isEmpty {
            let path = configPath ?? ConfigurationFile.defaultPath(environment: environment)
            do {
                configuration = try ConfigurationFile.load(path: path)
            } catch {
                throw CommandFailure(.usage, arguments.isEmpty && configPath == nil
                    ? "no pool given and no usable configuration: \(error); name pools as arguments or pass --config"
                    : "\(error)")
            }
        } else {
            configuration = WatcherConfiguration(pools: [])
        }
        configuration = configuration.withAWS(aws)
        var pools: [WatchedPool] = []
        for raw in arguments {
            let id: IdentityPoolID
            do {
                id = try IdentityPoolID(validating: raw)
            } catch {
                throw CommandFailure(.usage, "'\(raw)' is not an identity pool id: \(error)")
            }
            if let known = configuration.pools.first(where: { $0.id == id }) {
                pools.append(known)
            } else {
                pools.append(WatchedPool(id: id, region: configuration.aws.region, settings: configuration.defaults))
            }
        }
        self.pools = arguments.isEmpty ? configuration.pools : pools
        self.configuration = configuration
    }
}
