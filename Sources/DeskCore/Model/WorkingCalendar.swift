import Foundation

/// Working time as Znuny counts it for escalations (`DateTime.pm` `Delta` with `ForWorkingTime`,
/// `Add` with `AsWorkingTime`): the working hours of each weekday (`TimeWorkingHours`, an hour
/// listed counts in full: 20 is 20:00 to 21:00), minus the yearly vacation days
/// (`TimeVacationDays`) and the one-time ones (`TimeVacationDaysOneTime`), on the wall clock of
/// its time zone (UTC unless one is given). The settings of the same names configure it
/// (`Settings.workingCalendar`); `znunyDefault` is Znuny's default: Monday to Friday 08:00 to
/// 21:00 UTC, vacation on 1 January, 1 May, 24, 25, 26 and 31 December.
///
/// In a time zone with daylight saving time the span is cut at each change of the zone's offset
/// and each piece counted on the wall clock: an hour that is skipped in spring holds no working
/// time, one repeated in autumn counts twice.
///
/// Znuny walks a span day by day; this counts whole weeks and whole 400-year cycles (after which
/// the Gregorian calendar repeats its weekdays) instead, so a ticket dated in the year 1 costs no
/// more than one of last week.
public struct WorkingCalendar: Sendable, Equatable {
    /// One stretch of working time within a day, in seconds after midnight.
    struct Span: Sendable, Equatable {
        var start: Int64
        var end: Int64
    }

    /// A yearly vacation day.
    public struct MonthDay: Sendable, Hashable {
        public var month: Int
        public var day: Int

        public init(month: Int, day: Int) {
            self.month = month
            self.day = day
        }
    }

    /// Working hours per weekday, Monday first: bit `h` set counts the hour from h:00 to h+1:00.
    public let hours: [UInt32]
    public let yearlyVacations: [MonthDay]
    /// Day numbers (days since 1970-01-01) of the one-time vacation days, ascending.
    public let oneTimeVacations: [Int64]
    /// The zone of the wall clock the hours are on; nil: UTC.
    public let zone: TimeZone?

    let spans: [[Span]]
    let daySeconds: [Int64]
    let weekSeconds: Int64
    /// Working seconds lost to yearly vacation days in any 400 consecutive years.
    let vacationSecondsPerCycle: Int64

    /// Instants are held within about ±95 million years, where every date still has Unix seconds.
    static let limit: Int64 = 3_000_000_000_000_000
    static let cycleDays: Int64 = 146_097

    /// Znuny's default calendar.
    public static let znunyDefault = WorkingCalendar(
        hours: Array(repeating: hourBits(8...20), count: 5) + [0, 0],
        yearlyVacations: [(1, 1), (5, 1), (12, 24), (12, 25), (12, 26), (12, 31)].map { MonthDay(month: $0.0, day: $0.1) },
        oneTimeVacations: [])

    /// - Parameters:
    ///   - hours: seven bit sets, Monday first (bits above 23 are ignored).
    ///   - oneTimeVacations: day numbers, in any order.
    ///   - zone: nil for UTC.
    public init(hours: [UInt32], yearlyVacations: [MonthDay], oneTimeVacations: [Int64], zone: TimeZone? = nil) {
        precondition(hours.count == 7, "a working calendar has seven weekdays")
        self.hours = hours.map { $0 & 0xFF_FFFF }
        self.yearlyVacations = Array(Set(yearlyVacations)).sorted { ($0.month, $0.day) < ($1.month, $1.day) }
        self.oneTimeVacations = Array(Set(oneTimeVacations)).sorted()
        self.zone = zone
        spans = self.hours.map(Self.spans(of:))
        daySeconds = spans.map { $0.reduce(0) { $0 + $1.end - $1.start } }
        weekSeconds = daySeconds.reduce(0, +)
        var perCycle: Int64 = 0
        for year in 2000..<2400 {
            perCycle += Self.yearlyVacationSeconds(in: year, days: self.yearlyVacations, daySeconds: daySeconds) { _ in true }
        }
        vacationSecondsPerCycle = perCycle
    }

    /// The bit set of a range of hours.
    public static func hourBits(_ hours: ClosedRange<Int>) -> UInt32 {
        hours.clamped(to: 0...23).reduce(0) { $0 | (1 << UInt32($1)) }
    }

    private static func spans(of bits: UInt32) -> [Span] {
        var spans: [Span] = []
        for hour in 0..<24 where bits & (1 << UInt32(hour)) != 0 {
            let start = Int64(hour) * 3600
            if let last = spans.last, last.end == start {
                spans[spans.count - 1].end = start + 3600
            } else {
                spans.append(Span(start: start, end: start + 3600))
            }
        }
        return spans
    }

    // MARK: Counting

    /// Working seconds between two instants (0 when `to` is not after `from`).
    public func seconds(from: Int64, to: Int64) -> Int64 {
        guard let zone else { return wallSeconds(from: from, to: to) }
        var (total, start) = (Int64(0), min(max(from, -Self.limit), Self.limit))
        let to = min(max(to, -Self.limit), Self.limit)
        while start < to {
            let stretch = Self.stretch(at: start, in: zone)
            let end = min(to, stretch.end ?? to)
            total += wallSeconds(from: start + stretch.offset, to: end + stretch.offset)
            start = end
        }
        return total
    }

    /// The instant `seconds` of working time after `from`: the earliest `t` with
    /// `seconds(from: from, to: t) == seconds`, so a deadline that uses up a day's last working
    /// second is the end of that hour (21:00 in the default calendar), not the next morning.
    /// Escalation deadlines are these destinations. A calendar without working time never
    /// reaches one: the answer is then the far end of representable time.
    public func destination(from: Int64, adding seconds: Int64) -> Int64 {
        guard let zone else { return wallDestination(from: from, adding: seconds) }
        var start = min(max(from, -Self.limit), Self.limit)
        guard seconds > 0 else { return start }
        guard Self.cycleDays / 7 * weekSeconds > vacationSecondsPerCycle else { return Self.limit }
        var remaining = seconds
        while true {
            let stretch = Self.stretch(at: start, in: zone)
            guard let end = stretch.end else {
                return min(wallDestination(from: start + stretch.offset, adding: remaining) - stretch.offset, Self.limit)
            }
            // Only the stretch the deadline lies in is walked to it; the others are counted.
            let held = wallSeconds(from: start + stretch.offset, to: end + stretch.offset)
            if remaining <= held { return wallDestination(from: start + stretch.offset, adding: remaining) - stretch.offset }
            remaining -= held
            start = end
        }
    }

    /// The zone's offset at `instant` and the instant it next changes (nil: never). Outside the
    /// years 1900 to 2200 the offset of the nearer end holds.
    static func stretch(at instant: Int64, in zone: TimeZone) -> (offset: Int64, end: Int64?) {
        let (first, last): (Int64, Int64) = (-2_208_988_800, 7_258_118_400)
        let date = Date(timeIntervalSince1970: Double(min(max(instant, first), last)))
        let offset = Int64(zone.secondsFromGMT(for: date))
        guard instant < last else { return (offset, nil) }
        guard instant >= first else { return (offset, first) }
        let next = zone.nextDaylightSavingTimeTransition(after: date).map { Int64($0.timeIntervalSince1970) }
        return (offset, next.map { min(max($0, instant + 1), last) })
    }

    /// Working seconds between two wall-clock instants (seconds since 1970 on the zone's clock).
    func wallSeconds(from: Int64, to: Int64) -> Int64 {
        let from = min(max(from, -Self.limit), Self.limit)
        let to = min(max(to, -Self.limit), Self.limit)
        guard to > from else { return 0 }
        let firstDay = CivilDate.dayNumber(unixSeconds: from)
        let lastDay = CivilDate.dayNumber(unixSeconds: to - 1)
        let ends = worked(onDay: firstDay, from: from, to: to) + (lastDay > firstDay ? worked(onDay: lastDay, from: from, to: to) : 0)
        guard lastDay > firstDay + 1 else { return ends }
        return ends + fullDays(from: firstDay + 1, to: lastDay)
    }

    /// `destination` on the wall clock.
    func wallDestination(from: Int64, adding seconds: Int64) -> Int64 {
        let from = min(max(from, -Self.limit), Self.limit)
        guard seconds > 0 else { return from }
        let perCycle = Self.cycleDays / 7 * weekSeconds - vacationSecondsPerCycle
        guard perCycle > 0 else { return Self.limit }
        // Only a deadline that may lie near the end of representable time needs the (longer)
        // count to it: one starting late, a long one, or one whose cycles reach that far.
        let cyclesLeft = (Self.limit - from) / (Self.cycleDays * 86_400)
        if from > Self.limit / 2 || seconds > Int64(Int32.max) * 60 || seconds / perCycle + 1 >= cyclesLeft {
            guard seconds < wallSeconds(from: from, to: Self.limit) else { return Self.limit }
        }
        var remaining = seconds
        var day = CivilDate.dayNumber(unixSeconds: from)
        let first = worked(onDay: day, from: from, to: (day + 1) * 86_400)
        if remaining <= first { return instant(onDay: day, after: from, adding: remaining) }
        remaining -= first
        day += 1
        // Whole 400-year cycles (a whole number of weeks), then whole weeks, then days. A
        // cycle holds at most `perCycle` (one-time vacation days only take away), so what is
        // left after the skip stays positive.
        if remaining > perCycle {
            let cycles = (remaining - 1) / perCycle
            remaining -= fullDays(from: day, to: day + cycles * Self.cycleDays)
            day += cycles * Self.cycleDays
        }
        while true {
            let week = fullDays(from: day, to: day + 7)
            guard remaining > week else { break }
            remaining -= week
            day += 7
        }
        while true {
            let available = workingSeconds(onDay: day)
            if remaining <= available { return instant(onDay: day, after: day * 86_400, adding: remaining) }
            remaining -= available
            day += 1
        }
    }

    /// The working seconds of one day that lie between `from` and `to`.
    func worked(onDay day: Int64, from: Int64, to: Int64) -> Int64 {
        guard !isVacation(day) else { return 0 }
        let midnight = day * 86_400
        var total: Int64 = 0
        for span in spans[CivilDate.weekday(ofDay: day)] {
            total += max(0, min(to, midnight + span.end) - max(from, midnight + span.start))
        }
        return total
    }

    /// The instant at which `seconds` of the day's working time after `after` are used up
    /// (the day has at least that much).
    private func instant(onDay day: Int64, after: Int64, adding seconds: Int64) -> Int64 {
        let midnight = day * 86_400
        var remaining = seconds
        for span in spans[CivilDate.weekday(ofDay: day)] {
            let start = max(after, midnight + span.start)
            let end = midnight + span.end
            guard end > start else { continue }
            if remaining <= end - start { return start + remaining }
            remaining -= end - start
        }
        return midnight + 86_400
    }

    func workingSeconds(onDay day: Int64) -> Int64 {
        isVacation(day) ? 0 : daySeconds[CivilDate.weekday(ofDay: day)]
    }

    /// Whether the day is a yearly or a one-time vacation day.
    func isVacation(_ day: Int64) -> Bool {
        if !yearlyVacations.isEmpty {
            let date = CivilDate(unixSeconds: day * 86_400)
            if yearlyVacations.contains(where: { $0.month == date.month && $0.day == date.day }) { return true }
        }
        return isOneTimeVacation(day)
    }

    private func isOneTimeVacation(_ day: Int64) -> Bool {
        let index = oneTimeIndex(atLeast: day)
        return index < oneTimeVacations.count && oneTimeVacations[index] == day
    }

    /// The index of the first one-time vacation day on or after `day` (the count when none is).
    private func oneTimeIndex(atLeast day: Int64) -> Int {
        guard let last = oneTimeVacations.last, day <= last else { return oneTimeVacations.count }
        var (low, high) = (0, oneTimeVacations.count)
        while low < high {
            let middle = (low + high) / 2
            if oneTimeVacations[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Working seconds of the whole days `first..<end`.
    func fullDays(from first: Int64, to end: Int64) -> Int64 {
        guard end > first else { return 0 }
        let weeks = (end - first) / 7
        var total = weeks * weekSeconds
        var day = first + weeks * 7
        while day < end {
            total += daySeconds[CivilDate.weekday(ofDay: day)]
            day += 1
        }
        return total - yearlyVacationSeconds(from: first, to: end) - oneTimeVacationSeconds(from: first, to: end)
    }

    /// Working seconds of the yearly vacation days among the days `first..<end`: the years at
    /// either end date by date, whole 400-year cycles in between by their fixed amount.
    private func yearlyVacationSeconds(from first: Int64, to end: Int64) -> Int64 {
        guard !yearlyVacations.isEmpty else { return 0 }
        let firstYear = CivilDate(unixSeconds: first * 86_400).year
        let lastYear = CivilDate(unixSeconds: (end - 1) * 86_400).year
        var total: Int64 = 0
        var year = firstYear
        while year <= lastYear {
            // A year strictly between the ends lies wholly inside the span.
            if year > firstYear, year + 400 <= lastYear {
                let cycles = (lastYear - year) / 400
                total += Int64(cycles) * vacationSecondsPerCycle
                year += cycles * 400
                continue
            }
            total += Self.yearlyVacationSeconds(in: year, days: yearlyVacations, daySeconds: daySeconds) { first..<end ~= $0 }
            year += 1
        }
        return total
    }

    /// Working seconds of the one-time vacation days among the days `first..<end` that are not
    /// yearly vacation days as well (those are counted once, as yearly).
    private func oneTimeVacationSeconds(from first: Int64, to end: Int64) -> Int64 {
        var total: Int64 = 0
        for day in oneTimeVacations[oneTimeIndex(atLeast: first)...] {
            guard day < end else { break }
            let date = CivilDate(unixSeconds: day * 86_400)
            guard !yearlyVacations.contains(where: { $0.month == date.month && $0.day == date.day }) else { continue }
            total += daySeconds[CivilDate.weekday(ofDay: day)]
        }
        return total
    }

    private static func yearlyVacationSeconds(
        in year: Int, days: [MonthDay], daySeconds: [Int64], where inside: (Int64) -> Bool
    ) -> Int64 {
        var total: Int64 = 0
        for vacation in days {
            // 29 February is a vacation day in leap years only.
            guard vacation.day <= CivilDate.daysInMonth(year, vacation.month),
                let seconds = CivilDate(year: year, month: vacation.month, day: vacation.day).unixSeconds
            else { continue }
            let day = seconds / 86_400
            if inside(day) { total += daySeconds[CivilDate.weekday(ofDay: day)] }
        }
        return total
    }
}
