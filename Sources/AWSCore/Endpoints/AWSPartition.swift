/// An AWS partition as botocore's `partitions.json` describes it: which regions belong and their DNS suffixes.
public struct AWSPartition: Sendable, Equatable {
    /// The partition id, e.g. `aws`, `aws-cn`, `aws-us-gov`.
    public let id: String
    /// The DNS suffix of regional endpoints, e.g. `amazonaws.com.cn`.
    public let dnsSuffix: String
    /// The DNS suffix of dual-stack (IPv4 + IPv6) endpoints, e.g. `api.aws`.
    public let dualStackDnsSuffix: String
    /// Whether FIPS endpoints exist in this partition.
    public let supportsFIPS: Bool
    /// Whether dual-stack endpoints exist in this partition.
    public let supportsDualStack: Bool
    /// Region prefixes of the partition's `regionRegex`, `^(prefix)-\w+-\d+$`.
    let regionPrefixes: [String]
    /// Regions listed by name, which match even when the regex does not (`aws-global`).
    let knownRegions: Set<String>

    /// The partitions in botocore 1.43's `partitions.json`, in its order (the first match wins).
    public static let all: [AWSPartition] = [
        AWSPartition(
            id: "aws",
            dnsSuffix: "amazonaws.com",
            dualStackDnsSuffix: "api.aws",
            regionPrefixes: ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
            knownRegions: [
                "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
                "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
                "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "aws-global", "ca-central-1", "ca-west-1",
                "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
                "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1",
                "us-east-2", "us-west-1", "us-west-2",
            ]
        ),
        AWSPartition(
            id: "aws-cn",
            dnsSuffix: "amazonaws.com.cn",
            dualStackDnsSuffix: "api.amazonwebservices.com.cn",
            regionPrefixes: ["cn"],
            knownRegions: ["aws-cn-global", "cn-north-1", "cn-northwest-1"]
        ),
        AWSPartition(
            id: "aws-eusc",
            dnsSuffix: "amazonaws.eu",
            dualStackDnsSuffix: "api.amazonwebservices.eu",
            regionPrefixes: ["eusc-de"],
            knownRegions: ["eusc-de-east-1"]
        ),
        AWSPartition(
            id: "aws-iso",
            dnsSuffix: "c2s.ic.gov",
            dualStackDnsSuffix: "api.aws.ic.gov",
            regionPrefixes: ["us-iso"],
            knownRegions: ["aws-iso-global", "us-iso-east-1", "us-iso-west-1"]
        ),
        AWSPartition(
            id: "aws-iso-b",
            dnsSuffix: "sc2s.sgov.gov",
            dualStackDnsSuffix: "api.aws.scloud",
            regionPrefixes: ["us-isob"],
            knownRegions: ["aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"]
        ),
        AWSPartition(
            id: "aws-iso-e",
            dnsSuffix: "cloud.adc-e.uk",
            dualStackDnsSuffix: "api.cloud-aws.adc-e.uk",
            regionPrefixes: ["eu-isoe"],
            knownRegions: ["aws-iso-e-global", "eu-isoe-west-1"]
        ),
        AWSPartition(
            id: "aws-iso-f",
            dnsSuffix: "csp.hci.ic.gov",
            dualStackDnsSuffix: "api.aws.hci.ic.gov",
            regionPrefixes: ["us-isof"],
            knownRegions: ["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"]
        ),
        AWSPartition(
            id: "aws-us-gov",
            dnsSuffix: "amazonaws.com",
            dualStackDnsSuffix: "api.aws",
            regionPrefixes: ["us-gov"],
            knownRegions: ["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"]
        ),
    ]

    private init(
        id: String,
        dnsSuffix: String,
        dualStackDnsSuffix: String,
        regionPrefixes: [String],
        knownRegions: Set<String>
    ) {
        self.id = id
        self.dnsSuffix = dnsSuffix
        self.dualStackDnsSuffix = dualStackDnsSuffix
        self.supportsFIPS = true
        self.supportsDualStack = true
        self.regionPrefixes = regionPrefixes
        self.knownRegions = knownRegions
    }

    /// The partition of `region` as the ruleset's `aws.partition` picks it; unknown regions fall back to `aws`.
    public static func partition(for region: String) -> AWSPartition {
        all.first { $0.contains(region) } ?? all[0]
    }

    /// Whether `region` is listed by name or matches `^(prefix)-\w+-\d+$`.
    func contains(_ region: String) -> Bool {
        if knownRegions.contains(region) {
            return true
        }
        return regionPrefixes.contains { prefix in
            guard region.hasPrefix(prefix + "-") else {
                return false
            }
            // What follows the prefix must be exactly one word, a dash, and digits: `west-1`.
            let rest = region.dropFirst(prefix.count + 1).split(separator: "-", omittingEmptySubsequences: false)
            return rest.count == 2
                && !rest[0].isEmpty && rest[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                && !rest[1].isEmpty && rest[1].allSatisfy { $0.isASCII && $0.isNumber }
        }
    }
}
