import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Testing

struct EndpointResolverTests {
    static let resolver = EndpointResolver.cognitoSync

    static func resolve(
        _ region: String,
        _ settings: EndpointSettings = EndpointSettings(),
        environment: [String: String] = [:]
    ) throws(EndpointConfigurationError) -> ResolvedEndpoint {
        try resolver.resolve(region: region, settings: settings, environment: environment)
    }

    static func failure(
        _ region: String,
        _ settings: EndpointSettings = EndpointSettings(),
        environment: [String: String] = [:]
    ) -> EndpointConfigurationError? {
        do {
            _ = try resolve(region, settings, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func theServiceVariableIsDerivedFromTheServiceID() {
        #expect(Self.resolver.serviceEndpointVariable == "AWS_ENDPOINT_URL_COGNITO_SYNC")
    }

    @Test(arguments: [
        ("us-east-1", "aws", "https://cognito-sync.us-east-1.amazonaws.com"),
        ("eu-west-1", "aws", "https://cognito-sync.eu-west-1.amazonaws.com"),
        ("ap-southeast-7", "aws", "https://cognito-sync.ap-southeast-7.amazonaws.com"),
        ("il-central-1", "aws", "https://cognito-sync.il-central-1.amazonaws.com"),
        ("aws-global", "aws", "https://cognito-sync.aws-global.amazonaws.com"),
        ("xx-future-1", "aws", "https://cognito-sync.xx-future-1.amazonaws.com"),
        ("cn-north-1", "aws-cn", "https://cognito-sync.cn-north-1.amazonaws.com.cn"),
        ("cn-northwest-1", "aws-cn", "https://cognito-sync.cn-northwest-1.amazonaws.com.cn"),
        ("cn-south-9", "aws-cn", "https://cognito-sync.cn-south-9.amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "https://cognito-sync.us-gov-west-1.amazonaws.com"),
        ("us-gov-east-1", "aws-us-gov", "https://cognito-sync.us-gov-east-1.amazonaws.com"),
        ("us-iso-east-1", "aws-iso", "https://cognito-sync.us-iso-east-1.c2s.ic.gov"),
        ("us-isob-east-1", "aws-iso-b", "https://cognito-sync.us-isob-east-1.sc2s.sgov.gov"),
        ("eu-isoe-west-1", "aws-iso-e", "https://cognito-sync.eu-isoe-west-1.cloud.adc-e.uk"),
        ("us-isof-south-1", "aws-iso-f", "https://cognito-sync.us-isof-south-1.csp.hci.ic.gov"),
        ("eusc-de-east-1", "aws-eusc", "https://cognito-sync.eusc-de-east-1.amazonaws.eu"),
    ])
    func standardEndpointPerPartition(region: String, partition: String, url: String) throws {
        let endpoint = try Self.resolve(region)
        #expect(endpoint.url.absoluteString == url)
        #expect(endpoint.source == .partition(id: partition, fips: false, dualStack: false))
        #expect(endpoint.signingRegion == region)
    }

    @Test(arguments: [
        ("us-east-1", false, true, "https://cognito-sync.us-east-1.api.aws"),
        ("us-east-1", true, false, "https://cognito-sync-fips.us-east-1.amazonaws.com"),
        ("us-east-1", true, true, "https://cognito-sync-fips.us-east-1.api.aws"),
        ("cn-north-1", false, true, "https://cognito-sync.cn-north-1.api.amazonwebservices.com.cn"),
        ("cn-north-1", true, false, "https://cognito-sync-fips.cn-north-1.amazonaws.com.cn"),
        ("cn-north-1", true, true, "https://cognito-sync-fips.cn-north-1.api.amazonwebservices.com.cn"),
        ("us-gov-west-1", true, false, "https://cognito-sync-fips.us-gov-west-1.amazonaws.com"),
        ("us-gov-west-1", false, true, "https://cognito-sync.us-gov-west-1.api.aws"),
        ("us-iso-east-1", true, true, "https://cognito-sync-fips.us-iso-east-1.api.aws.ic.gov"),
        ("us-isob-east-1", false, true, "https://cognito-sync.us-isob-east-1.api.aws.scloud"),
        ("eu-isoe-west-1", true, true, "https://cognito-sync-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk"),
        ("us-isof-east-1", false, true, "https://cognito-sync.us-isof-east-1.api.aws.hci.ic.gov"),
        ("eusc-de-east-1", true, false, "https://cognito-sync-fips.eusc-de-east-1.amazonaws.eu"),
    ])
    func fipsAndDualStackVariants(region: String, fips: Bool, dualStack: Bool, url: String) throws {
        let explicit = try Self.resolve(region, EndpointSettings(useFIPS: fips, useDualStack: dualStack))
        #expect(explicit.url.absoluteString == url)
        let fromEnvironment = try Self.resolve(
            region,
            environment: [
                "AWS_USE_FIPS_ENDPOINT": fips ? "TRUE" : "false",
                "AWS_USE_DUALSTACK_ENDPOINT": dualStack ? "True" : "False",
            ]
        )
        #expect(fromEnvironment.url.absoluteString == url)
    }

    @Test func explicitFlagsBeatTheEnvironment() throws {
        let endpoint = try Self.resolve(
            "us-east-1",
            EndpointSettings(useFIPS: false, useDualStack: false),
            environment: ["AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"]
        )
        #expect(endpoint.url.absoluteString == "https://cognito-sync.us-east-1.amazonaws.com")
    }

    @Test(arguments: [
        ("AWS_USE_FIPS_ENDPOINT", "yes"),
        ("AWS_USE_FIPS_ENDPOINT", "1"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "on"),
        ("AWS_USE_DUALSTACK_ENDPOINT", " true"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "maybe"),
    ])
    func badBooleansAreErrorsNamingTheVariable(variable: String, value: String) {
        let failure = Self.failure("us-east-1", environment: [variable: value])
        #expect(failure?.reason == .invalidBoolean)
        #expect(failure?.message.contains(variable) == true)
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let endpoint = try Self.resolve(
            "us-east-1",
            environment: [
                "AWS_USE_FIPS_ENDPOINT": "", "AWS_USE_DUALSTACK_ENDPOINT": "", "AWS_ENDPOINT_URL_COGNITO_SYNC": "",
                "AWS_ENDPOINT_URL": "",
            ]
        )
        #expect(endpoint.url.absoluteString == "https://cognito-sync.us-east-1.amazonaws.com")
    }

    // MARK: custom endpoints

    static let bothVariables = [
        "AWS_ENDPOINT_URL_COGNITO_SYNC": "http://127.0.0.1:4001",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:4002",
    ]

    @Test func anExplicitEndpointBeatsBothVariables() throws {
        let endpoint = try Self.resolve(
            "us-east-1",
            EndpointSettings(endpointURL: "http://localhost:4000/"),
            environment: Self.bothVariables
        )
        #expect(endpoint.url.absoluteString == "http://localhost:4000")
        #expect(endpoint.source == .explicit)
        #expect(endpoint.signingRegion == "us-east-1")
    }

    @Test func theServiceVariableBeatsTheGlobalOne() throws {
        let endpoint = try Self.resolve("eu-west-1", environment: Self.bothVariables)
        #expect(endpoint.url.absoluteString == "http://127.0.0.1:4001")
        #expect(endpoint.source == .environment(variable: "AWS_ENDPOINT_URL_COGNITO_SYNC"))
        #expect(endpoint.signingRegion == "eu-west-1")
    }

    @Test func theGlobalVariableApplies() throws {
        let endpoint = try Self.resolve(
            "eu-west-1",
            environment: ["AWS_ENDPOINT_URL": "https://proxy.internal:8443/aws"]
        )
        #expect(endpoint.url.absoluteString == "https://proxy.internal:8443/aws")
        #expect(endpoint.source == .environment(variable: "AWS_ENDPOINT_URL"))
    }

    @Test func configuredURLsCanBeIgnored() throws {
        var environment = Self.bothVariables
        environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        #expect(
            try Self.resolve("us-east-1", environment: environment).source
                == .partition(id: "aws", fips: false, dualStack: false)
        )
        let explicitStillWins = try Self.resolve(
            "us-east-1",
            EndpointSettings(endpointURL: "https://example.com"),
            environment: environment
        )
        #expect(explicitStillWins.source == .explicit)
    }

    @Test(
        arguments: [
            (EndpointSettings(endpointURL: "https://example.com", useFIPS: true), [:], ["FIPS"]),
            (EndpointSettings(endpointURL: "https://example.com", useDualStack: true), [:], ["dual-stack"]),
            (EndpointSettings(), ["AWS_ENDPOINT_URL": "https://example.com", "AWS_USE_FIPS_ENDPOINT": "true"], ["FIPS"]),
            (
                EndpointSettings(useDualStack: true),
                ["AWS_ENDPOINT_URL_COGNITO_SYNC": "https://example.com", "AWS_USE_FIPS_ENDPOINT": "true"],
                ["FIPS", "dual-stack"]
            ),
        ] as [(EndpointSettings, [String: String], [String])]
    )
    func aCustomEndpointIsUsedAsItIsWithFIPSAndDualStackOffAsBotocoreDoes(
        settings: EndpointSettings,
        environment: [String: String],
        ignored: [String]
    ) throws {
        let endpoint = try Self.resolve("us-east-1", settings, environment: environment)
        #expect(endpoint.url.absoluteString == "https://example.com")
        #expect(endpoint.ignoredVariants == ignored)
        #expect(endpoint.description.contains("not applied to a custom endpoint"))
    }

    @Test(arguments: [
        "http://127.0.0.1:4566",
        "http://127.0.0.1",
        "http://127.1.2.3:8080/",
        "http://[::1]:4566",
        "http://[0:0:0:0:0:0:0:1]:4566",
        "http://localhost:4566",
        "http://LOCALHOST",
        "https://cognito-sync.us-east-1.amazonaws.com",
        "https://10.0.0.1:8443",
        "https://[2001:db8::1]/prefix",
        "HTTPS://Example.COM",
    ])
    func acceptedEndpoints(url: String) throws {
        let endpoint = try Self.resolve("us-east-1", EndpointSettings(endpointURL: url))
        #expect(!endpoint.url.absoluteString.hasSuffix("/"))
    }

    @Test(arguments: [
        "http://10.0.0.1",
        "http://example.com",
        "http://128.0.0.1:4566",
        "http://127.0.0.1.example.com",
        "http://[::2]",
        "http://localhost.example.com",
    ])
    func plainHTTPIsOnlyForLoopback(url: String) {
        let failure = Self.failure("us-east-1", EndpointSettings(endpointURL: url))
        #expect(failure?.reason == .insecureEndpointURL)
        #expect(failure?.message.contains("https") == true)
    }

    @Test(arguments: [
        "example.com",
        "/relative/path",
        "ftp://example.com",
        "https://",
        "https://exa mple.com",
        "https://-bad-.example.com",
        "https://example.com/?query=1",
        "https://example.com/#fragment",
        "https://[::1",
        "https://[12345::1]",
        "file:///etc/passwd",
    ])
    func badURLsAreRejected(url: String) {
        #expect(Self.failure("us-east-1", EndpointSettings(endpointURL: url))?.reason == .invalidEndpointURL)
    }

    @Test func credentialsInAURLAreRejectedAndNeverEchoed() {
        let failure = Self.failure("us-east-1", environment: ["AWS_ENDPOINT_URL": "https://AKIA:s3cr3t@example.com"])
        #expect(failure?.reason == .invalidEndpointURL)
        #expect(failure?.message.contains("s3cr3t") == false)
        let unparsable = Self.failure("us-east-1", EndpointSettings(endpointURL: "https://user:pa ss@exa mple.com"))
        #expect(unparsable?.message.contains("pa ss") == false)
    }

    // MARK: regions

    @Test(arguments: [
        "", "US-EAST-1", "us_east_1", "-us-east-1", "us-east-1-", "12345", "us east 1", "us-east-1.evil.com",
        String(repeating: "a", count: 64),
    ])
    func invalidRegions(region: String) {
        let failure = Self.failure(region)
        #expect(failure?.reason == (region.isEmpty ? .missingRegion : .invalidRegion))
        #expect(failure?.message.contains("us-east-1") == true)
    }

    @Test func anInvalidRegionIsRejectedEvenWithACustomEndpoint() {
        #expect(
            Self.failure("Bad Region", EndpointSettings(endpointURL: "http://127.0.0.1:1"))?.reason == .invalidRegion
        )
    }

    @Test func partitionLookupFollowsTheRegexesAndTheRegionLists() {
        #expect(AWSPartition.partition(for: "us-gov-west-1").id == "aws-us-gov")
        #expect(AWSPartition.partition(for: "us-isob-west-1").id == "aws-iso-b")
        #expect(AWSPartition.partition(for: "aws-cn-global").id == "aws-cn")
        #expect(AWSPartition.partition(for: "us-east-1x").id == "aws")
        #expect(AWSPartition.partition(for: "cn-north").id == "aws")
    }

    @Test func descriptionsNameTheSource() throws {
        let standard = try Self.resolve("eu-west-1", EndpointSettings(useFIPS: true))
        #expect(
            standard.description
                == "https://cognito-sync-fips.eu-west-1.amazonaws.com (partition aws, FIPS, signing region eu-west-1)"
        )
        let custom = try Self.resolve("eu-west-1", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        #expect(custom.description == "http://127.0.0.1:9 (from AWS_ENDPOINT_URL, signing region eu-west-1)")
    }
}
