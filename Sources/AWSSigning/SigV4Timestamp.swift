public import Foundation

/// A signing time in the two UTC forms SigV4 uses: `20150830T123600Z` and the date stamp `20150830`.
///
/// Formatting is done with plain calendar arithmetic so the result never depends on the
/// process locale, time zone or a shared formatter.
public struct SigV4Timestamp: Sendable, Hashable, CustomStringConvertible {
    /// The instant, truncated to whole seconds as the wire format is.
    public let date: Date
    /// The ISO 8601 basic form sent as `X-Amz-Date`, e.g. `20150830T123600Z`.
    public let amzDate: String

    /// The `YYYYMMDD` part used in the credential scope.
    public var dateStamp: String { String(amzDate.prefix(8)) }

    public var description: String { amzDate }

    /// Creates the timestamp for `date` (fractions of a second are dropped).
    public init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        self.date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let civil = CivilTime(secondsSince1970: seconds)
        self.amzDate =
            Self.digits(civil.year, 4) + Self.digits(civil.month, 2) + Self.digits(civil.day, 2) + "T"
            + Self.digits(civil.hour, 2) + Self.digits(civil.minute, 2) + Self.digits(civil.second, 2) + "Z"
    }

    /// Parses an `X-Amz-Date` value; `nil` unless it is exactly `YYYYMMDDTHHMMSSZ` with valid fields.
    public init?(amzDate: String) {
        let bytes = Array(amzDate.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard
            let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), (1...CivilTime.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else {
            return nil
        }
        let days = CivilTime.daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The RFC 1123 form botocore writes when a request already carries a `Date` header.
    var httpDate: String {
        let seconds = Int64(date.timeIntervalSince1970)
        let civil = CivilTime(secondsSince1970: seconds)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let dayNumber = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = weekdays[Int(((dayNumber % 7) + 7) % 7)]
        return "\(weekday), \(Self.digits(civil.day, 2)) \(months[civil.month - 1]) \(Self.digits(civil.year, 4)) "
            + "\(Self.digits(civil.hour, 2)):\(Self.digits(civil.minute, 2)):\(Self.digits(civil.second, 2)) -0000"
    }

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// Proleptic Gregorian calendar fields in UTC, from days-since-epoch arithmetic (H. Hinnant's algorithm).
private struct CivilTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    init(secondsSince1970 seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let adjustedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
