// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode is the package default; these add the
/// upcoming features that make the code stricter still.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Linux only: the daemon talks to systemd through libsystemd (CSystemd) and ships a systemd unit,
// so no Apple platform is named here.
let package = Package(
    name: "cognito-sync-watcher",
    products: [
        .executable(name: "cognito-sync-watcher", targets: ["Watcher"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Already part of the build through async-http-client: TLS settings and errors (NIOSSL),
        // the CONNECT handshake a certificate diagnosis makes through a proxy (NIOExtras).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // Certificates: the simulator's private CA, and the names and dates a diagnosis reads.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already part of the build through swift-nio; its Heap keeps the due polls ordered.
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // Helper programs (credential_process) started with clean signals and killed on cancel.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // Already part of the build through swift-subprocess: the FilePath its API takes.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // Metrics: recorded through swift-metrics' API, exported in Prometheus' text format.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: pool ids, statuses, the per-pool state machine, scheduling policy and
        // configuration. No IO, no clocks, no logging.
        .target(name: "Model", plugins: ["BuildVersion"]),
        // Writes the build's version (VERSION and the git commit) into Model before every build.
        .plugin(name: "BuildVersion", capability: .buildTool()),
        // SigV4 signing and verification, shared by the client and the simulator.
        .target(
            name: "AWSSigning",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // What every AWS call stands on: the HTTP transport and its network settings (trusted
        // CAs, proxies), endpoints, retries, error parsing, and the shared config files.
        .target(
            name: "AWSCore",
            dependencies: [
                "Model",
                "AWSSigning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // Files replaced whole (temporary file, rename), synced to disk where they must be.
        .target(name: "AtomicFile"),
        // Helper programs (credential_process, event hooks) run without a shell, killed on timeout.
        .target(
            name: "HelperProcess",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Where credentials come from: botocore's provider chain, STS roles, web identity,
        // IAM Identity Center, credential_process, the metadata services.
        .target(
            name: "AWSCredentialProviders",
            dependencies: [
                "Model",
                "AtomicFile",
                "AWSSigning",
                "AWSCore",
                "HelperProcess",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The Cognito Sync client: one call with its signing, retries and errors.
        .target(
            name: "AWSClient",
            dependencies: [
                "Model",
                "AWSSigning",
                "AWSCore",
                "AWSCredentialProviders",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // A simulator of the Cognito Sync API on loopback, for users and for tests.
        .target(
            name: "Simulator",
            dependencies: [
                "Model",
                "AWSSigning",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The watch loop: scheduling, polling, reporting, persisting.
        .target(
            name: "Daemon",
            dependencies: [
                "Model",
                "AtomicFile",
                "AWSClient",
                "AWSCore",
                "AWSCredentialProviders",
                "HelperProcess",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // The metrics in Prometheus' text format: on a small HTTP endpoint and in a file for
        // node_exporter's textfile collector.
        .target(
            name: "PrometheusExport",
            dependencies: [
                "Model",
                "AtomicFile",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // libsystemd, through pkg-config.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // sd_notify, the structured journal and the journald log handler.
        .target(
            name: "Systemd",
            dependencies: [
                "CSystemd",
                "Model",
                "Daemon",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "Watcher",
            dependencies: [
                "Model",
                "AWSClient",
                "AWSCore",
                "AWSCredentialProviders",
                "AWSSigning",
                "Daemon",
                "PrometheusExport",
                "Simulator",
                "Systemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        // The network the tests run on: a private CA and its certificates, a forward proxy.
        .target(
            name: "NetworkTestSupport",
            dependencies: [
                "AWSClient",
                "AWSCore",
                "AWSCredentialProviders",
                "Simulator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/NetworkTestSupport"
        ),
        // Child processes for the tests that run the built binary or shell scripts, and the
        // scratch directories of every suite.
        .target(name: "ProcessSupport", path: "Tests/ProcessSupport"),
        // The fakes the loop's tests share: a manual clock, recorders, an in-memory store.
        .target(
            name: "DaemonTestSupport",
            dependencies: ["Daemon", "Model"],
            path: "Tests/DaemonTestSupport"
        ),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "AtomicFile", "Daemon", "DaemonTestSupport", "Model", "PrometheusExport", "ProcessSupport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AWSClientTests",
            dependencies: [
                "AWSClient",
                "AWSCore",
                "AWSCredentialProviders",
                "AWSSigning",
                "Model",
                "Simulator",
                "NetworkTestSupport",
                "ProcessSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: [
                "Simulator",
                "Model",
                "AWSSigning",
                "NetworkTestSupport",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The built executable run as a user runs it: help texts, exit codes, wait, demo, run.
        .testTarget(
            name: "WatcherTests",
            dependencies: [
                "Simulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "Model",
                "NetworkTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                "ProcessSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "SystemdTests",
            dependencies: [
                "Systemd", "Daemon", "Model", "NetworkTestSupport", "ProcessSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "FuzzTests", dependencies: ["AWSClient", "AWSCore", "AWSCredentialProviders", "AWSSigning", "Model"]),
        .testTarget(
            name: "FaultTests",
            dependencies: [
                "Daemon",
                "DaemonTestSupport",
                "AWSClient",
                "AWSCore",
                "AWSCredentialProviders",
                "AWSSigning",
                "Simulator",
                "Model",
                "NetworkTestSupport",
                "ProcessSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
