/// Counting on the wall clock of a calendar's zone (seconds since 1970 as that clock shows
/// them): whole weeks and 400-year cycles, vacation days weighted by their weekday's hours.
extension WorkingCalendar {
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
        let perCycle = secondsPerCycle
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

    static func yearlyVacationSeconds(
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
