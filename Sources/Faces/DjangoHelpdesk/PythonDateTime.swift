import DeskCore

/// Django's `parse_datetime` as DRF's `DateTimeField` calls it (Django 5.2 on Python 3.11):
/// first Python's `datetime.fromisoformat` — C implementation, which reads the UTF-8 bytes — and,
/// when that refuses the text, Django's own pattern (`django/utils/dateparse.py`).
///
/// `fromisoformat` takes more than the ISO 8601 subset one might expect: basic and extended
/// dates (`20240101`, `2024-01-01`), ISO weeks (`2024-W01-2`), any single character between
/// date and time, times of `HH`, `HH:MM`, `HHMM`, … with a fraction after `.` or `,` (digits past
/// six dropped), offsets `Z`, `±HH`, `±HHMM`, `±HH:MM[:SS[.ffffff]]`. Django's pattern adds one-
/// or two-digit month, day, hour and minute and spaces before the offset. A time without an
/// offset is UTC (DRF makes it aware in the server's zone, UTC for django-helpdesk's default).
enum PythonDateTime {
    /// A parsed time: Unix seconds (rounded down) and the microseconds past them.
    struct Instant: Equatable {
        var seconds: Int64
        var microsecond: Int
    }

    static func parse(_ text: String) -> Instant? {
        let bytes = Array(text.utf8)
        return fromISOFormat(bytes) ?? djangoPattern(bytes)
    }

    /// Django's `parse_date` as DRF's `DateField` calls it: `date.fromisoformat` (texts of 7, 8
    /// or 10 bytes: `2024-02-03`, `20240203`, `2024-W05-6`, `2024W056`, `2024-W05`), then
    /// Django's `YYYY-M-D` pattern (one- or two-digit month and day, a final newline allowed);
    /// the date as `YYYY-MM-DD`, or nil where neither gives a real date.
    static func date(_ text: String) -> String? {
        let s = Array(text.utf8)
        var found: (year: Int, month: Int, day: Int)?
        if [7, 8, 10].contains(s.count), let date = isoDate(s, length: s.count), isDate(date) { found = date }
        if found == nil { found = djangoDate(s) }
        guard let found else { return nil }
        return String(CivilDate(year: found.year, month: found.month, day: found.day).timestampString.prefix(10))
    }

    /// Django's `date_re`, `\d{4}-\d{1,2}-\d{1,2}$`, matched from the start.
    private static func djangoDate(_ s: [UInt8]) -> (year: Int, month: Int, day: Int)? {
        var body = s[...]
        if body.last == UInt8(ascii: "\n") { body = body.dropLast() }
        let parts = body.split(separator: dash, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy(isDigit) })
        else { return nil }
        let numbers = parts.map { $0.reduce(0) { $0 * 10 + Int($1 - zero) } }
        let date = (year: numbers[0], month: numbers[1], day: numbers[2])
        return isDate(date) ? date : nil
    }

    /// Whether Python's `date` takes it (years 1 to 9999).
    private static func isDate(_ date: (year: Int, month: Int, day: Int)) -> Bool {
        (1...9999).contains(date.year) && (1...12).contains(date.month)
            && (1...CivilDate.daysInMonth(date.year, date.month)).contains(date.day)
    }

    /// Django's `parse_time` as DRF's `TimeField` calls it: `time.fromisoformat` (an offset is
    /// read and dropped), then Django's `H:M[:S[.f]]` pattern; the value as `time.isoformat()`
    /// writes it (`10:11:12`, or `10:11:12.500000` with a fraction), or nil.
    static func time(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var clock: Clock
        if let (parsed, _) = isoTime(bytes) {
            clock = parsed
        } else {
            // `(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?$`
            let match = text.wholeMatch(of: #/(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\n?/#)
            // Python's `\d` and `int()` take any decimal digit (`١٠` is 10); Swift's `\d` also
            // matches other numerals (`½`), which `int()` refuses.
            func number(_ digits: Substring) -> Int? { DRF.pythonIntegerDigits(String(digits)).flatMap { Int($0) } }
            guard let match, let hour = number(match.1), let minute = number(match.2) else { return nil }
            var second = 0
            if let text = match.3 {
                guard let value = number(text) else { return nil }
                second = value
            }
            clock = Clock(hour: hour, minute: minute, second: second)
            if let fraction = match.4 {
                guard let value = number(fraction) else { return nil }
                clock.microsecond = value * fractionScale[fraction.count]
            }
        }
        guard (0...23).contains(clock.hour), (0...59).contains(clock.minute), (0...59).contains(clock.second) else { return nil }
        let base = String(format: "%02d:%02d:%02d", clock.hour, clock.minute, clock.second)
        return clock.microsecond == 0 ? base : base + String(format: ".%06d", clock.microsecond)
    }

    // MARK: - datetime.fromisoformat

    private struct Clock {
        var hour = 0, minute = 0, second = 0, microsecond = 0
    }

    private static func fromISOFormat(_ s: [UInt8]) -> Instant? {
        guard s.count >= 7, let separator = separatorLocation(s), let date = isoDate(s, length: separator) else { return nil }
        var clock = Clock()
        var offset: (seconds: Int, microseconds: Int)?
        if s.count > separator {
            guard let time = isoTime(Array(s[(separator + 1)...])) else { return nil }
            (clock, offset) = time
        }
        return instant(date: date, clock: clock, offset: offset)
    }

    /// `_find_isoformat_datetime_separator`: where the date ends.
    private static func separatorLocation(_ s: [UInt8]) -> Int? {
        if s.count == 7 { return 7 }
        if s[4] == dash {
            guard s[5] == week else { return 10 }
            guard s.count >= 8 else { return nil }
            guard s.count > 8, s[8] == dash else { return 8 }
            if s.count == 9 { return nil }
            return s.count > 10 && isDigit(s[10]) ? 8 : 10
        }
        guard s[4] == week else { return 8 }
        var index = 7
        while index < s.count, isDigit(s[index]) { index += 1 }
        if index < 9 { return index }
        return index % 2 == 0 ? 7 : 8
    }

    /// `parse_isoformat_date`: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-Www[-D]`, `YYYYWww[D]`; like
    /// CPython it does not check that the date fills `length` exactly.
    private static func isoDate(_ s: [UInt8], length: Int) -> (year: Int, month: Int, day: Int)? {
        var p = 0
        guard let year = digits(s, &p, 4) else { return nil }
        let separated = byte(s, p) == dash
        if separated { p += 1 }
        if byte(s, p) == week {
            p += 1
            guard let weekNumber = digits(s, &p, 2) else { return nil }
            var weekday = 1
            if p < length {
                if separated {
                    guard byte(s, p) == dash else { return nil }
                    p += 1
                }
                guard let day = digits(s, &p, 1) else { return nil }
                weekday = day
            }
            return isoWeekDate(year: year, week: weekNumber, weekday: weekday)
        }
        guard let month = digits(s, &p, 2) else { return nil }
        if separated {
            guard byte(s, p) == dash else { return nil }
            p += 1
        }
        guard let day = digits(s, &p, 2) else { return nil }
        return (year, month, day)
    }

    /// `parse_isoformat_time`: the time, then an offset from the first `Z`, `+` or `-`.
    private static func isoTime(_ s: [UInt8]) -> (Clock, (seconds: Int, microseconds: Int)?)? {
        let zone = s.firstIndex { $0 == zulu || $0 == plus || $0 == dash } ?? s.count
        guard let (clock, trailing) = hhmmssff(s, end: zone) else { return nil }
        guard zone < s.count else { return trailing ? nil : (clock, nil) }
        if s[zone] == zulu { return zone + 1 == s.count ? (clock, (0, 0)) : nil }
        let sign = s[zone] == dash ? -1 : 1
        let zoneText = Array(s[(zone + 1)...])
        guard let (offset, rest) = hhmmssff(zoneText, end: zoneText.count), !rest else { return nil }
        // An offset of whole seconds 0 is UTC, whatever its fraction (`tzinfo_from_isoformat_results`).
        let seconds = sign * (offset.hour * 3600 + offset.minute * 60 + offset.second)
        return (clock, (seconds, seconds == 0 ? 0 : sign * offset.microsecond))
    }

    /// `parse_hh_mm_ss_ff` over `s[..<end]`: `HH[:MM[:SS]]` or `HH[MM[SS]]`, then `.` or `,` and
    /// up to six digits counted (more are skipped). Like CPython it reads the byte after each
    /// pair even past `end`, so one stray byte before an offset passes; the flag says whether
    /// anything but the end of the text followed.
    private static func hhmmssff(_ s: [UInt8], end: Int) -> (Clock, Bool)? {
        var values = [0, 0, 0]
        var p = 0
        var separated = true
        for index in 0..<3 {
            guard let value = digits(s, &p, 2) else { return nil }
            values[index] = value
            let c = byte(s, p)
            p += 1
            if index == 0 { separated = c == colon }
            if p >= end {
                return (Clock(hour: values[0], minute: values[1], second: values[2]), c != 0)
            } else if separated && c == colon {
                continue
            } else if c == dot || c == comma {
                break
            } else if !separated {
                p -= 1
            } else {
                return nil
            }
        }
        // CPython reads a fraction here whether or not a `.` or `,` ended the loop.
        let count = min(6, end - p)
        guard let fraction = digits(s, &p, count) else { return nil }
        let microsecond = fraction * fractionScale[count]
        while isDigit(byte(s, p)) { p += 1 }
        return (Clock(hour: values[0], minute: values[1], second: values[2], microsecond: microsecond), byte(s, p) != 0)
    }

    // MARK: - Django's datetime_re

    /// `(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`
    private static func djangoPattern(_ s: [UInt8]) -> Instant? {
        var p = 0
        func number(_ least: Int, _ most: Int) -> Int? {
            var value = 0
            var count = 0
            while count < most, isDigit(byte(s, p)) {
                value = value * 10 + Int(s[p] - zero)
                p += 1
                count += 1
            }
            return count >= least ? value : nil
        }
        func take(_ expected: UInt8) -> Bool {
            guard byte(s, p) == expected else { return false }
            p += 1
            return true
        }
        guard let year = number(4, 4), take(dash), let month = number(1, 2), take(dash), let day = number(1, 2),
            take(letterT) || take(space), let hour = number(1, 2), take(colon), let minute = number(1, 2)
        else { return nil }
        var clock = Clock(hour: hour, minute: minute)
        if take(colon) {
            guard let second = number(1, 2) else { return nil }
            clock.second = second
            if take(dot) || take(comma) {
                let start = p
                guard let fraction = number(1, 6) else { return nil }
                clock.microsecond = fraction * fractionScale[p - start]
                _ = number(0, 6)
            }
        }
        while [space, 9, 10, 11, 12, 13].contains(byte(s, p)) { p += 1 }
        var offset: (seconds: Int, microseconds: Int)?
        if take(zulu) {
            offset = (0, 0)
        } else if byte(s, p) == plus || byte(s, p) == dash {
            let sign = s[p] == dash ? -1 : 1
            p += 1
            guard let hours = number(2, 2) else { return nil }
            var minutes = 0
            let mark = p
            _ = take(colon)
            if let value = number(2, 2) { minutes = value } else { p = mark }
            offset = (sign * (hours * 3600 + minutes * 60), 0)
        }
        // Python's `$` also matches before a final newline.
        guard p == s.count || (p == s.count - 1 && s[p] == 10) else { return nil }
        return instant(date: (year, month, day), clock: clock, offset: offset)
    }

    // MARK: - Shared

    /// The `datetime` Python builds, as UTC: nil where Python raises (a day past the month's
    /// end, hour 24, an offset of a day or more).
    private static func instant(
        date: (year: Int, month: Int, day: Int), clock: Clock, offset: (seconds: Int, microseconds: Int)?
    ) -> Instant? {
        guard (1...9999).contains(date.year),
            let local = CivilDate(
                year: date.year, month: date.month, day: date.day, hour: clock.hour, minute: clock.minute, second: clock.second
            ).unixSeconds
        else { return nil }
        let zone = offset ?? (0, 0)
        let zoneMicroseconds = Int64(zone.seconds) * 1_000_000 + Int64(zone.microseconds)
        guard abs(zoneMicroseconds) < 86_400 * 1_000_000 else { return nil }
        let total = local * 1_000_000 + Int64(clock.microsecond) - zoneMicroseconds
        let seconds = total >= 0 ? total / 1_000_000 : (total - 999_999) / 1_000_000
        return Instant(seconds: seconds, microsecond: Int(total - seconds * 1_000_000))
    }

    /// The Gregorian date of day `weekday` (1 = Monday) of ISO week `week` of `year`.
    private static func isoWeekDate(year: Int, week: Int, weekday: Int) -> (year: Int, month: Int, day: Int)? {
        guard (1...7).contains(weekday), week >= 1 else { return nil }
        // Week 53 exists when the year starts on a Thursday, or on a Wednesday in a leap year.
        guard let january1 = CivilDate(year: year, month: 1, day: 1).unixSeconds else { return nil }
        let firstWeekday = Int(((january1 / 86_400) % 7 + 7 + 3) % 7) + 1
        let leap = CivilDate.daysInMonth(year, 2) == 29
        guard week < 53 || (week == 53 && (firstWeekday == 4 || (firstWeekday == 3 && leap))) else { return nil }
        guard let january4 = CivilDate(year: year, month: 1, day: 4).unixSeconds else { return nil }
        let january4Weekday = Int(((january4 / 86_400) % 7 + 7 + 3) % 7) + 1
        let day = january4 / 86_400 - Int64(january4Weekday - 1) + Int64((week - 1) * 7 + weekday - 1)
        let date = CivilDate(unixSeconds: day * 86_400)
        return (date.year, date.month, date.day)
    }

    /// `count` ASCII digits from `p` (a byte past the end reads as NUL, as in C).
    private static func digits(_ s: [UInt8], _ p: inout Int, _ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            let c = byte(s, p)
            guard isDigit(c) else { return nil }
            value = value * 10 + Int(c - zero)
            p += 1
        }
        return value
    }

    private static func byte(_ s: [UInt8], _ index: Int) -> UInt8 { index < s.count ? s[index] : 0 }
    private static func isDigit(_ c: UInt8) -> Bool { (zero...zero + 9).contains(c) }

    /// Microseconds per unit of a fraction of 0…6 digits.
    private static let fractionScale = [0, 100_000, 10_000, 1_000, 100, 10, 1]

    private static let zero = UInt8(ascii: "0")
    private static let dash = UInt8(ascii: "-")
    private static let plus = UInt8(ascii: "+")
    private static let colon = UInt8(ascii: ":")
    private static let dot = UInt8(ascii: ".")
    private static let comma = UInt8(ascii: ",")
    private static let week = UInt8(ascii: "W")
    private static let zulu = UInt8(ascii: "Z")
    private static let letterT = UInt8(ascii: "T")
    private static let space = UInt8(ascii: " ")
}
