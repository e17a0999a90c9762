import DeskCore

/// Working time as Znuny 7 counts it with its default calendar (`DateTime.pm` `Delta` with
/// `ForWorkingTime`, `TimeWorkingHours` and `TimeVacationDays` defaults): Monday to Friday,
/// the hours 8 to 20 each counted in full (08:00 to 21:00), minus the yearly vacation days
/// 1 January, 1 May, 24, 25, 26 and 31 December, in UTC (Znuny's default time zone).
public enum ZnunyWorkingTime {
    static let dayStart: Int64 = 8 * 3600
    static let dayEnd: Int64 = 21 * 3600
    static let vacationDays: Set<[Int]> = [[1, 1], [5, 1], [12, 24], [12, 25], [12, 26], [12, 31]]

    /// Working seconds between two instants (0 when `to` is not after `from`).
    public static func seconds(from: Int64, to: Int64) -> Int64 {
        guard to > from else { return 0 }
        var total: Int64 = 0
        var day = CivilDate.dayNumber(unixSeconds: from)
        let lastDay = CivilDate.dayNumber(unixSeconds: to - 1)
        while day <= lastDay {
            let start = day * 86_400
            if isWorkday(day) {
                let open = max(from, start + dayStart)
                let close = min(to, start + dayEnd)
                if close > open { total += close - open }
            }
            day += 1
        }
        return total
    }

    /// Monday to Friday and not a vacation day.
    static func isWorkday(_ day: Int64) -> Bool {
        guard CivilDate.weekday(ofDay: day) < 5 else { return false }
        let date = CivilDate(unixSeconds: day * 86_400)
        return !vacationDays.contains([date.month, date.day])
    }
}
