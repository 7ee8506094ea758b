
/// What a message for people must not contain: a library's type names, or a path on the
/// machine that built the binary.
public enum PlainWords {
    static let libraryWords = [
        "NIO", "BoringSSL", "HTTPClientError", "IOError", "ChannelError", "SocketAddressError",
        "Error(", "errnoCode", "checkouts", ".swift:", ".cc:", "/.build/",
    ]

    /// The forbidden words `text` contains; empty when it reads as plain words.
    public static func problems(in text: String) -> [String] {
        libraryWords.filter { text.contains($0) }
    }
}

