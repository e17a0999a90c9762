import DeskCore

/// Django's `naturaltime` filter (`django.contrib.humanize`, Django 5.2, English), which
/// django-helpdesk's `PublicTicketListingSerializer` applies to `created` and `due_date`:
/// `now`, `5 seconds ago`, `a minute ago`, `3 hours ago`, `2 days, 3 hours ago`,
/// `4 weeks from now`. Counts are joined to their unit by a no-break space (U+00A0), as Django
/// writes them; times are UTC, django-helpdesk's default zone.
enum DjangoNaturalTime {
    static let space = "\u{A0}"

    /// `value` described relative to `now` (Unix seconds).
    static func string(for value: Int64, now: Int64) -> String {
        let past = value < now
        let delta = past ? now - value : value - now
        let suffix = past ? "ago" : "from now"
        if delta >= 86_400 {
            let span = past ? timeSince(value, now: now) : timeSince(now, now: value)
            return "\(span) \(suffix)"
        }
        switch delta {
        case 0: return "now"
        case 1: return "a second \(suffix)"
        case ..<60: return "\(delta)\(space)seconds \(suffix)"
        case ..<120: return "a minute \(suffix)"
        case ..<3_600: return "\(delta / 60)\(space)minutes \(suffix)"
        case ..<7_200: return "an hour \(suffix)"
        default: return "\(delta / 3_600)\(space)hours \(suffix)"
        }
    }

    /// Django's `timesince(d, now)` to depth 2: years and months counted on the calendar
    /// (months of 28 to 31 days, February always 28), then weeks, days, hours and minutes, the
    /// first non-zero unit and the one after it if that is non-zero (`1 year, 2 months`).
    static func timeSince(_ start: Int64, now end: Int64) -> String {
        guard end > start else { return "0\(space)minutes" }
        let from = CivilDate(unixSeconds: start)
        let to = CivilDate(unixSeconds: end)
        let secondOfDay = { (t: Int64) in ((t % 86_400) + 86_400) % 86_400 }
        var totalMonths = (to.year - from.year) * 12 + (to.month - from.month)
        if from.day > to.day || (from.day == to.day && secondOfDay(start) > secondOfDay(end)) { totalMonths -= 1 }
        let years = totalMonths / 12
        let months = totalMonths % 12
        var pivot = start
        if years != 0 || months != 0 {
            var year = from.year + years
            var month = from.month + months
            if month > 12 {
                month -= 12
                year += 1
            }
            let monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            let day = min(monthDays[month - 1], from.day)
            pivot = (CivilDate(year: year, month: month, day: day).unixSeconds ?? start) + secondOfDay(start)
        }
        var remaining = end - pivot
        var parts = [years, months]
        for chunk: Int64 in [604_800, 86_400, 3_600, 60] {
            parts.append(Int(remaining / chunk))
            remaining %= chunk
        }
        let names = ["year", "month", "week", "day", "hour", "minute"]
        guard let first = parts.firstIndex(where: { $0 != 0 }) else { return "0\(space)minutes" }
        var pieces: [String] = []
        var index = first
        while index < parts.count, pieces.count < 2, parts[index] != 0 {
            let count = parts[index]
            pieces.append("\(count)\(space)\(names[index])\(count == 1 ? "" : "s")")
            index += 1
        }
        return pieces.joined(separator: ", ")
    }
}
