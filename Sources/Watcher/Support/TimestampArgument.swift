import Foundation

/// A moment on the command line: an ISO 8601 date and time (`2026-11-29T04:15:00Z`, with or
/// without fractional seconds or an offset), or epoch seconds (`1795580100`), the unit the
/// API's own timestamps use.
struct TimestampArgument: Equatable {
    var date: Date

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 {
            date = Date(timeIntervalSince1970: seconds)
            return
        }
        let styles = [
            Date.ISO8601FormatStyle(includingFractionalSeconds: true),
            Date.ISO8601FormatStyle(),
        ]
        for style in styles {
            if let parsed = try? style.parse(text) {
                date = parsed
                return
            }
        }
        return nil
    }
}
