import Foundation
import Synchronization

/// The working calendar's four settings, as `swiftdesk config set` takes them (each also with
/// `::Calendar1` … `::Calendar9` for the numbered calendars):
/// - `TimeWorkingHours`: `Mon=8-20;Tue=8-20;…`, each weekday (`Mon` … `Sun`) with hours or
///   ranges of hours separated by commas (`Mon=8-11,13-16`); a weekday left out or given
///   nothing (`Sat=`) has no working time;
/// - `TimeVacationDays`: yearly days as `MM-DD`, separated by `;`;
/// - `TimeVacationDaysOneTime`: single days as `YYYY-MM-DD`, separated by `;`;
/// - `TimeZone`: the zone whose wall clock the hours are on (`Europe/Berlin`); empty: UTC.
extension WorkingCalendar {
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    /// Znuny's defaults, as texts.
    static let defaultHoursText = "Mon=8-20;Tue=8-20;Wed=8-20;Thu=8-20;Fri=8-20"
    static let defaultVacationDaysText = "01-01;05-01;12-24;12-25;12-26;12-31"
    static let defaultOneTimeText = ""
    static let defaultZoneText = ""

    /// The calendar the four setting texts describe.
    public init(workingHours: String, vacationDays: String, oneTimeVacationDays: String, zone: String = "") throws(DeskError) {
        self.init(
            hours: try Self.parseHours(workingHours), yearlyVacations: try Self.parseYearly(vacationDays),
            oneTimeVacations: try Self.parseOneTime(oneTimeVacationDays), zone: try Self.parseZone(zone))
    }

    /// A time zone by its IANA name; nil for UTC (empty, `UTC`).
    static func parseZone(_ text: String, key: String = "TimeZone") throws(DeskError) -> TimeZone? {
        let name = text.trimmingSpaces
        guard !name.isEmpty, name != "UTC" else { return nil }
        guard name.allSatisfy(\.isASCII), let zone = TimeZone(identifier: name) else {
            throw .invalid(.other(key), .malformed(expected: "a time zone name such as Europe/Berlin, or empty for UTC"))
        }
        return zone
    }

    static func parseHours(_ text: String, key: String = "TimeWorkingHours") throws(DeskError) -> [UInt32] {
        let failure = DeskError.invalid(
            .other(key), .malformed(expected: "weekdays with hours from 0 to 23, such as Mon=8-20;Tue=8-12,14-17"))
        var hours = [UInt32](repeating: 0, count: 7)
        var seen = Set<Int>()
        for entry in text.split(separator: ";").map({ String($0).trimmingSpaces }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            guard parts.count == 2, let weekday = weekdayNames.firstIndex(of: parts[0]), seen.insert(weekday).inserted else {
                throw failure
            }
            for item in parts[1].split(separator: ",").map({ String($0).trimmingSpaces }) where !item.isEmpty {
                let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
                guard let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), 0 <= low, low <= high, high <= 23 else {
                    throw failure
                }
                hours[weekday] |= hourBits(low...high)
            }
        }
        return hours
    }

    static func parseYearly(_ text: String, key: String = "TimeVacationDays") throws(DeskError) -> [MonthDay] {
        try days(text) { (parts: [Int]) throws(DeskError) -> MonthDay in
            // 2000 is a leap year: 02-29 is allowed (and counts in leap years only).
            guard parts.count == 2, (1...12).contains(parts[0]), (1...CivilDate.daysInMonth(2000, parts[0])).contains(parts[1]) else {
                throw .invalid(.other(key), .malformed(expected: "days as MM-DD separated by ;, such as 01-01;12-25"))
            }
            return MonthDay(month: parts[0], day: parts[1])
        }
    }

    static func parseOneTime(_ text: String, key: String = "TimeVacationDaysOneTime") throws(DeskError) -> [Int64] {
        try days(text) { (parts: [Int]) throws(DeskError) -> Int64 in
            guard parts.count == 3, (1...9999).contains(parts[0]), (1...12).contains(parts[1]),
                (1...CivilDate.daysInMonth(parts[0], parts[1])).contains(parts[2]),
                let seconds = CivilDate(year: parts[0], month: parts[1], day: parts[2]).unixSeconds
            else {
                throw .invalid(
                    .other(key), .malformed(expected: "days as YYYY-MM-DD separated by ;, such as 2026-04-03"))
            }
            return seconds / 86_400
        }
    }

    /// The `;`-separated entries of `text`, each split at `-` into numbers (an entry that is not
    /// all numbers gives `make` an empty list, which it refuses).
    private static func days<Day>(_ text: String, _ make: ([Int]) throws(DeskError) -> Day) throws(DeskError) -> [Day] {
        var result: [Day] = []
        for entry in text.split(separator: ";").map({ String($0).trimmingSpaces }) where !entry.isEmpty {
            let numbers = entry.split(separator: "-", omittingEmptySubsequences: false).map { part in
                part.allSatisfy(\.isASCII) ? Int(part) : nil
            }
            result.append(try make(numbers.contains(nil) ? [] : numbers.compactMap { $0 }))
        }
        return result
    }

    /// Calendars built from settings, by their four texts: building one counts 400 years of
    /// vacation days, and a request may ask for it more than once.
    private static let built = Mutex<[[String]: WorkingCalendar]>([:])

    /// The calendar of the four texts; the default one when they are the defaults, or when
    /// stored texts no longer parse (`config set` checks them first).
    static func cached(workingHours: String, vacationDays: String, oneTimeVacationDays: String, zone: String) -> WorkingCalendar {
        let key = [workingHours, vacationDays, oneTimeVacationDays, zone]
        if key == Settings.defaultCalendarTexts { return .znunyDefault }
        if let known = built.withLock({ $0[key] }) { return known }
        let calendar =
            (try? WorkingCalendar(
                workingHours: workingHours, vacationDays: vacationDays, oneTimeVacationDays: oneTimeVacationDays, zone: zone))
            ?? .znunyDefault
        built.withLock { cache in
            if cache.count > 32 { cache.removeAll() }
            cache[key] = calendar
        }
        return calendar
    }
}

extension Settings {
    /// Znuny's calendar names: "" (the default calendar) and "1" … "9" (`Calendar1` … `Calendar9`).
    public static let calendarNames = [""] + (1...9).map(String.init)
    static let calendarKeys = ["TimeWorkingHours", "TimeVacationDays", "TimeVacationDaysOneTime", "TimeZone"]
    static let defaultCalendarTexts = [
        WorkingCalendar.defaultHoursText, WorkingCalendar.defaultVacationDaysText, WorkingCalendar.defaultOneTimeText,
        WorkingCalendar.defaultZoneText,
    ]

    /// The four keys of a calendar: `TimeWorkingHours` …, or `TimeWorkingHours::Calendar1` ….
    static func calendarKeys(named name: String) -> [String] {
        name.isEmpty ? calendarKeys : calendarKeys.map { "\($0)::Calendar\(name)" }
    }

    /// The calendar keys of calendars 1 to 9 for `known`, each with the default calendar's value.
    static let numberedCalendarSettings: [(key: String, defaultValue: String, help: String)] = calendarNames.dropFirst().flatMap { name in
        zip(calendarKeys(named: name), defaultCalendarTexts).map { key, value in
            (key, value, "the same for calendar \(name), which queues and SLAs may name (--calendar \(name))")
        }
    }

    /// The numbered calendar (`1` … `9`) whose key `key` is, when all four of that calendar's
    /// values are the defaults (`swiftdesk config list` leaves such calendars out); else nil.
    public func untouchedCalendar(ofKey key: String) -> String? {
        guard let range = key.range(of: "::Calendar"), Self.calendarKey(key) != nil else { return nil }
        let name = String(key[range.upperBound...])
        return zip(Self.calendarKeys(named: name), Self.defaultCalendarTexts).allSatisfy { self[$0] == $1 } ? name : nil
    }

    /// Which of the four calendar keys `key` is (`TimeWorkingHours` for
    /// `TimeWorkingHours::Calendar3`); nil for other settings.
    static func calendarKey(_ key: String) -> String? {
        calendarKeys.first { key == $0 || (key.hasPrefix($0 + "::Calendar") && known.contains { $0.key == key }) }
    }

    /// The working calendar of that name (`calendarNames`; any other name: the default one).
    public func workingCalendar(named name: String) -> WorkingCalendar {
        let keys = Self.calendarKeys(named: Self.calendarNames.contains(name) ? name : "")
        return WorkingCalendar.cached(
            workingHours: self[keys[0]], vacationDays: self[keys[1]], oneTimeVacationDays: self[keys[2]], zone: self[keys[3]])
    }

    /// The default working calendar (`TimeWorkingHours`, `TimeVacationDays`, `TimeVacationDaysOneTime`, `TimeZone`).
    public var workingCalendar: WorkingCalendar { workingCalendar(named: "") }

    /// Refuses a calendar text that does not parse.
    static func validateCalendar(key: String, base: String, value: String) throws(DeskError) {
        switch base {
        case "TimeWorkingHours": _ = try WorkingCalendar.parseHours(value, key: key)
        case "TimeVacationDays": _ = try WorkingCalendar.parseYearly(value, key: key)
        case "TimeZone": _ = try WorkingCalendar.parseZone(value, key: key)
        default: _ = try WorkingCalendar.parseOneTime(value, key: key)
        }
    }
}
