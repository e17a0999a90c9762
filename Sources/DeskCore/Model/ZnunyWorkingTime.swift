/// Working time as Znuny 7 counts it with its default calendar (`DateTime.pm` `Delta` with
/// `ForWorkingTime`, `TimeWorkingHours` and `TimeVacationDays` defaults): Monday to Friday,
/// the hours 8 to 20 each counted in full (08:00 to 21:00), minus the yearly vacation days
/// 1 January, 1 May, 24, 25, 26 and 31 December, in UTC (Znuny's default time zone).
///
/// Znuny walks the span day by day; this counts whole weeks and whole 400-year cycles (after
/// which the Gregorian calendar repeats its weekdays) instead, so a ticket dated in the year 1
/// costs no more than one of last week.
public enum ZnunyWorkingTime {
    static let dayStart: Int64 = 8 * 3600
    static let dayEnd: Int64 = 21 * 3600
    static let vacationDays: [(month: Int, day: Int)] = [(1, 1), (5, 1), (12, 24), (12, 25), (12, 26), (12, 31)]
    /// Instants are held within about ±95 million years, where every date still has Unix seconds.
    static let limit: Int64 = 3_000_000_000_000_000

    /// Working seconds between two instants (0 when `to` is not after `from`).
    public static func seconds(from: Int64, to: Int64) -> Int64 {
        let from = min(max(from, -limit), limit)
        let to = min(max(to, -limit), limit)
        guard to > from else { return 0 }
        let firstDay = CivilDate.dayNumber(unixSeconds: from)
        let lastDay = CivilDate.dayNumber(unixSeconds: to - 1)
        let ends = worked(onDay: firstDay, from: from, to: to) + (lastDay > firstDay ? worked(onDay: lastDay, from: from, to: to) : 0)
        guard lastDay > firstDay + 1 else { return ends }
        return ends + workdays(from: firstDay + 1, to: lastDay) * (dayEnd - dayStart)
    }

    /// The instant `seconds` of working time after `from` (DateTime.pm `Add` with
    /// `AsWorkingTime`): the earliest `t` with `seconds(from: from, to: t) == seconds`, so a
    /// deadline that uses up a day's last working second is 21:00 of that day, not the next
    /// morning. Escalation deadlines are these destinations.
    public static func destination(from: Int64, adding seconds: Int64) -> Int64 {
        let from = min(max(from, -limit), limit)
        guard seconds > 0 else { return from }
        // Only a deadline near the end of representable time needs the (longer) count to it.
        if from > limit / 2 || seconds > Int64(Int32.max) * 60 {
            guard seconds < Self.seconds(from: from, to: limit) else { return limit }
        }
        var remaining = seconds
        var day = CivilDate.dayNumber(unixSeconds: from)
        let first = worked(onDay: day, from: from, to: (day + 1) * 86_400)
        if remaining <= first { return max(from, day * 86_400 + dayStart) + remaining }
        remaining -= first
        day += 1
        let perDay = dayEnd - dayStart
        // Whole 400-year cycles (a whole number of weeks), then whole weeks, then days.
        let cycleDays: Int64 = 146_097
        let perCycle = (cycleDays / 7 * 5 - vacationsPerCycle) * perDay
        if remaining > perCycle {
            let cycles = (remaining - 1) / perCycle
            remaining -= cycles * perCycle
            day += cycles * cycleDays
        }
        while true {
            let week = workdays(from: day, to: day + 7) * perDay
            guard remaining > week else { break }
            remaining -= week
            day += 7
        }
        while true {
            if isWorkday(day) {
                if remaining <= perDay { return day * 86_400 + dayStart + remaining }
                remaining -= perDay
            }
            day += 1
        }
    }

    /// The working seconds of one day that lie between `from` and `to`.
    static func worked(onDay day: Int64, from: Int64, to: Int64) -> Int64 {
        guard isWorkday(day) else { return 0 }
        let start = day * 86_400
        return max(0, min(to, start + dayEnd) - max(from, start + dayStart))
    }

    /// Monday to Friday and not a vacation day.
    static func isWorkday(_ day: Int64) -> Bool {
        guard CivilDate.weekday(ofDay: day) < 5 else { return false }
        let date = CivilDate(unixSeconds: day * 86_400)
        return !vacationDays.contains { $0.month == date.month && $0.day == date.day }
    }

    /// Workdays among the day numbers `first..<end`.
    static func workdays(from first: Int64, to end: Int64) -> Int64 {
        let weeks = (end - first) / 7
        var count = weeks * 5
        var day = first + weeks * 7
        while day < end {
            if CivilDate.weekday(ofDay: day) < 5 { count += 1 }
            day += 1
        }
        return count - vacationsOnWeekdays(from: first, to: end)
    }

    /// Vacation days falling Monday to Friday among the day numbers `first..<end`: the years at
    /// either end date by date, whole 400-year cycles in between by their fixed count.
    static func vacationsOnWeekdays(from first: Int64, to end: Int64) -> Int64 {
        let firstYear = CivilDate(unixSeconds: first * 86_400).year
        let lastYear = CivilDate(unixSeconds: (end - 1) * 86_400).year
        var count: Int64 = 0
        var year = firstYear
        while year <= lastYear {
            // A year strictly between the ends lies wholly inside the span.
            if year > firstYear, year + 400 <= lastYear {
                let cycles = (lastYear - year) / 400
                count += Int64(cycles) * vacationsPerCycle
                year += cycles * 400
                continue
            }
            count += vacationsOnWeekdays(in: year) { first..<end ~= $0 }
            year += 1
        }
        return count
    }

    /// Vacation days on Monday to Friday in 400 consecutive years (the same for any 400).
    static let vacationsPerCycle: Int64 = (2000..<2400).reduce(0) { sum, year in sum + vacationsOnWeekdays(in: year) { _ in true } }

    private static func vacationsOnWeekdays(in year: Int, where inside: (Int64) -> Bool) -> Int64 {
        var count: Int64 = 0
        for vacation in vacationDays {
            guard let seconds = CivilDate(year: year, month: vacation.month, day: vacation.day).unixSeconds else { continue }
            let day = seconds / 86_400
            if inside(day), CivilDate.weekday(ofDay: day) < 5 { count += 1 }
        }
        return count
    }
}
