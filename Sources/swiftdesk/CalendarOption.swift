import ArgumentParser
import DeskCore

/// `--calendar`: the working calendar a queue's or SLA's escalation minutes count in.
struct CalendarOption: ParsableArguments {
    @Option(
        help: """
            Working calendar of the escalation minutes: 1 to 9 (the settings TimeWorkingHours::CalendarN, \
            TimeVacationDays::CalendarN, TimeVacationDaysOneTime::CalendarN, TimeZone::CalendarN), or "" for the default one.
            """)
    var calendar: String?

    /// `change` with this calendar.
    func applied(to change: AdminService.MinutesChange) -> AdminService.MinutesChange {
        var change = change
        change.calendar = calendar
        return change
    }
}

/// `calendar 3` (or `default calendar`) for listings.
func calendarListing(_ name: String) -> String {
    name.isEmpty ? "default calendar" : "calendar \(name)"
}
