/// A calendar date-time in UTC, computed without Foundation so the core stays portable and fast.
/// SwiftDesk stores times as Unix seconds and keeps the server's calendar in UTC.
public struct CivilDate: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Converts Unix seconds to a UTC date (Howard Hinnant's civil-from-days algorithm).
    public init(unixSeconds: Int64) {
        let days = Int(Self.dayNumber(unixSeconds: unixSeconds))
        // The remainder, not `unixSeconds - days * 86_400`: that product overflows near the ends of Int64.
        let secondsOfDay = Int((unixSeconds % 86_400 + 86_400) % 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(
            year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day,
            hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60, second: secondsOfDay % 60
        )
    }

    /// Unix seconds of this date-time, or nil when a field is out of range (e.g. 31 February, or
    /// a year beyond ±100,000,000, where the arithmetic would overflow).
    public var unixSeconds: Int64? {
        guard -100_000_000...100_000_000 ~= year, (1...12).contains(month), (1...Self.daysInMonth(year, month)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * mp + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of the day that holds `unixSeconds` (rounded down, also before 1970).
    public static func dayNumber(unixSeconds: Int64) -> Int64 {
        unixSeconds >= 0 ? unixSeconds / 86_400 : -((-(unixSeconds + 1)) / 86_400) - 1
    }

    /// `unixSeconds` moved `minutes` minutes later (or earlier), held at the ends of Int64
    /// instead of overflowing: a caller's "minutes from now" may be any number, and a time that
    /// far off lies after (or before) every stored one either way.
    public static func moving(_ unixSeconds: Int64, minutes: Int64, later: Bool) -> Int64 {
        let (seconds, overflowed) = minutes.multipliedReportingOverflow(by: 60)
        let (moved, movedOverflowed) =
            later ? unixSeconds.addingReportingOverflow(seconds) : unixSeconds.subtractingReportingOverflow(seconds)
        guard !overflowed, !movedOverflowed else { return (minutes < 0) == later ? Int64.min : Int64.max }
        return moved
    }

    /// The day of the week of a day number: 0 = Monday … 6 = Sunday (day 0 was a Thursday).
    public static func weekday(ofDay day: Int64) -> Int {
        Int(((day + 3) % 7 + 7) % 7)
    }

    /// `Sat, 28 Nov 2026 11:30:00 +0000`: the date of e-mail headers (RFC 5322), in UTC.
    public var rfc5322String: String {
        let weekday = Self.weekday(ofDay: Self.dayNumber(unixSeconds: unixSeconds ?? 0))
        let dayName = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][weekday]
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
        return "\(dayName), \(pad(day, 2)) \(monthName) \(pad(year, 4)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) +0000"
    }

    /// `YYYYMMDD`.
    public var compactString: String {
        pad(year, 4) + pad(month, 2) + pad(day, 2)
    }

    /// `YYYY-MM-DD HH:MM:SS`, the timestamp format of every dialect SwiftDesk speaks.
    public var timestampString: String { written(separator: " ", zone: nil) }

    /// `YYYY-MM-DDTHH:MM:SSZ`, ISO 8601 in UTC (Django REST framework's date-times).
    public var isoString: String { written(separator: "T", zone: "Z") }

    /// The date and time with `separator` between them and `zone` after them. Written digit by
    /// digit: every rendered ticket and article has a few of these.
    private func written(separator: Unicode.Scalar, zone: Unicode.Scalar?) -> String {
        guard 0...9999 ~= year, 0...99 ~= month, 0...99 ~= day, 0...99 ~= hour, 0...99 ~= minute, 0...99 ~= second else {
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))\(separator)\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
                + (zone.map { String($0) } ?? "")
        }
        let length = zone == nil ? 19 : 20
        return String(unsafeUninitializedCapacity: length) { buffer in
            func put(_ value: Int, digits: Int, at start: Int) {
                var rest = value
                for index in (start..<start + digits).reversed() {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, digits: 4, at: 0)
            put(month, digits: 2, at: 5)
            put(day, digits: 2, at: 8)
            put(hour, digits: 2, at: 11)
            put(minute, digits: 2, at: 14)
            put(second, digits: 2, at: 17)
            (buffer[4], buffer[7], buffer[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: separator))
            (buffer[13], buffer[16]) = (UInt8(ascii: ":"), UInt8(ascii: ":"))
            if let zone { buffer[19] = UInt8(ascii: zone) }
            return length
        }
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`.
    public init?(timestamp text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
            let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2])
        else { return nil }
        var (hour, minute, second) = (0, 0, 0)
        if parts.count == 2 {
            let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard time.count == 3, time.allSatisfy({ $0.count == 2 }),
                let h = Int(time[0]), let m = Int(time[1]), let s = Int(time[2])
            else { return nil }
            (hour, minute, second) = (h, m, s)
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard unixSeconds != nil else { return nil }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        TicketNumberGenerator.zeroPad(value, to: width)
    }
}
