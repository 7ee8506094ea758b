/// Percent-encoding exactly as AWS SDKs apply it to URI labels and SigV4 canonical forms.
///
/// Only the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~` survive; everything else is
/// encoded byte by byte from UTF-8 with upper-case hex, which is what botocore's `quote` produces.
public enum AWSURIEncoding {
    /// Encodes one path label as botocore's rest-json serializer does (`us-east-1:abc` → `us-east-1%3Aabc`).
    public static func encodePathLabel(_ value: String) -> String {
        encode(value.utf8, keepingSlash: false)
    }

    /// Encodes a greedy path label (`{Key+}`), which keeps its `/` separators.
    public static func encodeGreedyPathLabel(_ value: String) -> String {
        encode(value.utf8, keepingSlash: true)
    }

    static func encode(_ bytes: some Sequence<UInt8>, keepingSlash: Bool) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hexDigits[Int(byte >> 4)])
                encoded.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Decodes `%XX` escapes; a `%` not followed by two hex digits stays literal, and `+` is not a
    /// space (Python's `urllib.parse.unquote` on bytes).
    public static func decode(_ value: Substring) -> [UInt8] {
        let bytes = Array(value.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
