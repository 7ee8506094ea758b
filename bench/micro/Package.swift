// swift-tools-version:6.1
import PackageDescription

/// The same strictness as the main package.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Micro-benchmarks of the watcher's hot path: signing a request, decoding a response body, one
// state-machine step, one scheduling decision. The main package has no library products, so
// `Sources/Model` and `Sources/AWSSigning` here are symbolic links to the main package's sources:
// the code measured is the code shipped. Run from this directory:
//
//     swift package --allow-writing-to-package-directory benchmark
let package = Package(
    name: "cognito-sync-watcher-micro",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .target(name: "Model", path: "Sources/Model", swiftSettings: strictSettings),
        .target(
            name: "AWSSigning",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/AWSSigning",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "HotPath",
            dependencies: [
                "Model",
                "AWSSigning",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            path: "Benchmarks/HotPath",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
