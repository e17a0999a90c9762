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
    /// Working seconds in any 400 consecutive years without one-time vacation days (0 or less:
    /// the calendar never works).
    let secondsPerCycle: Int64

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
        secondsPerCycle = Self.cycleDays / 7 * weekSeconds - perCycle
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
        guard secondsPerCycle > 0 else { return Self.limit }
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
}
