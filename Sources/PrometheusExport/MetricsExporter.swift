public import CoreMetrics
public import Logging
public import Model
import Prometheus

/// The daemon's metrics as the configuration asks for them: a registry that swift-metrics
/// records into, served on an endpoint, written to a file, or both.
public final class MetricsExporter: Sendable {
    /// The endpoint, when `metrics.listen` is set.
    public let endpoint: MetricsEndpoint?
    /// The file, when `metrics.textfile` is set.
    public let textfile: MetricsTextfile?
    private let described: DescribedPrometheusFactory
    /// What the daemon's code records with.
    public var factory: any MetricsFactory { described }
    /// Kept so the series stays registered for the daemon's life.
    private let buildInfo: CoreMetrics.Gauge

    /// Starts the endpoint and writes the file a first time.
    /// - Throws: when the endpoint cannot listen, saying why and what to change.
    /// - Parameter sleep: how the file's writer waits for a burst of changes to end.
    public static func start(
        _ options: MetricsOptions, sleep: @escaping Sleep = taskSleep, logger: Logger
    ) async throws(MetricsEndpointError) -> MetricsExporter {
        let described = DescribedPrometheusFactory()
        let registry = described.registry
        let render: @Sendable () -> [UInt8] = { registry.emitToBuffer() }
        var endpoint: MetricsEndpoint?
        if let address = options.listen {
            endpoint = try await MetricsEndpoint.start(at: address, render: render)
        }
        let textfile = options.textfile.map { MetricsTextfile(path: $0, sleep: sleep, logger: logger, render: render) }
        let exporter = MetricsExporter(described: described, endpoint: endpoint, textfile: textfile)
        if let endpoint {
            logger.notice("serving metrics", metadata: ["address": "\(endpoint.address)", "path": "/metrics"])
        }
        textfile?.writeNow()
        return exporter
    }

    private init(described: DescribedPrometheusFactory, endpoint: MetricsEndpoint?, textfile: MetricsTextfile?) {
        self.described = described
        self.endpoint = endpoint
        self.textfile = textfile
        buildInfo = CoreMetrics.Gauge(label: MetricCatalog.buildInfo.name, dimensions: [("version", BuildInfo.version)], factory: described)
        buildInfo.record(1)
    }

    /// Something changed that the file should show.
    public func changed() {
        textfile?.changed()
    }

    /// Writes the file a last time and stops the endpoint.
    public func shutdown() async {
        textfile?.writeNow()
        await endpoint?.shutdown()
    }
}
