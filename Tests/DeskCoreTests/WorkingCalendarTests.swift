import DeskCore
import Foundation
import Testing

/// `WorkingCalendar` on calendars other than Znuny's default (the default one is checked against
/// Znuny's figures in ZnunyFidelityTests): the count by weeks and cycles against a walk day by
/// day, and deadlines as the earliest instant with that much working time behind them.
@Suite("Working calendars")
struct WorkingCalendarTests {
    /// The working seconds between two instants, hour by hour of each day.
    private static func walked(_ calendar: WorkingCalendar, from: Int64, to: Int64) -> Int64 {
        guard to > from else { return 0 }
        var total: Int64 = 0
        var day = CivilDate.dayNumber(unixSeconds: from)
        while day <= CivilDate.dayNumber(unixSeconds: to - 1) {
            let date = CivilDate(unixSeconds: day * 86_400)
            let vacation =
                calendar.yearlyVacations.contains { $0.month == date.month && $0.day == date.day }
                || calendar.oneTimeVacations.contains(day)
            let bits = calendar.hours[CivilDate.weekday(ofDay: day)]
            for hour in 0..<24 where !vacation && bits & (1 << UInt32(hour)) != 0 {
                let start = day * 86_400 + Int64(hour) * 3_600
                total += max(0, min(to, start + 3_600) - max(from, start))
            }
            day += 1
        }
        return total
    }

    private static func randomCalendar(_ generator: inout some RandomNumberGenerator) -> WorkingCalendar {
        let hours = (0..<7).map { _ in Bool.random(using: &generator) ? UInt32.random(in: 0...0xFF_FFFF, using: &generator) : 0 }
        let yearly =
            (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                WorkingCalendar.MonthDay(month: Int.random(in: 1...12, using: &generator), day: Int.random(in: 1...28, using: &generator))
            } + [WorkingCalendar.MonthDay(month: 2, day: 29)]
        // One-time days around the instants drawn below.
        let oneTime = (0..<Int.random(in: 0...30, using: &generator)).map { _ in Int64.random(in: -300...300, using: &generator) }
        return WorkingCalendar(
            hours: hours.allSatisfy { $0 == 0 } ? [1 << 9] + hours.dropFirst() : hours, yearlyVacations: yearly, oneTimeVacations: oneTime)
    }

    @Test("random calendars: counted time equals the walk day by day; deadlines are the earliest instant")
    func againstTheWalk() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let calendar = Self.randomCalendar(&generator)
            for span: Int64 in [7_200, 86_400 * 5, 86_400 * 90, 86_400 * 1_500] {
                for _ in 0..<4 {
                    let from = Int64.random(in: -86_400 * 200...86_400 * 200, using: &generator)
                    let to = from + Int64.random(in: 0...span, using: &generator)
                    let counted = calendar.seconds(from: from, to: to)
                    #expect(counted == Self.walked(calendar, from: from, to: to), "\(calendar) from \(from) to \(to)")
                    guard counted > 0 else { continue }
                    let deadline = calendar.destination(from: from, adding: counted)
                    #expect(deadline <= to, "\(calendar) from \(from) adding \(counted)")
                    #expect(calendar.seconds(from: from, to: deadline) == counted, "\(calendar) from \(from) adding \(counted)")
                    #expect(calendar.seconds(from: from, to: deadline - 1) < counted, "\(calendar) from \(from) adding \(counted)")
                }
            }
        }
    }

    @Test("a deadline over centuries on a calendar with vacations and split hours")
    func farDeadlines() {
        let calendar = WorkingCalendar(
            hours: [WorkingCalendar.hourBits(8...11) | WorkingCalendar.hourBits(13...16), 0, WorkingCalendar.hourBits(0...23), 0, 0, 0, 1],
            yearlyVacations: [.init(month: 1, day: 1), .init(month: 2, day: 29)], oneTimeVacations: [20_000, 20_001])
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<30 {
            let from = Int64.random(in: -60_000_000_000...60_000_000_000, using: &generator)
            let seconds = Int64.random(in: 1...86_400 * 300_000, using: &generator)
            let deadline = calendar.destination(from: from, adding: seconds)
            #expect(calendar.seconds(from: from, to: deadline) == seconds, "from \(from) adding \(seconds)")
            #expect(calendar.seconds(from: from, to: deadline - 1) < seconds, "from \(from) adding \(seconds)")
        }
        // The same in a time zone: centuries of offset changes, each stretch counted, not walked.
        let zoned = WorkingCalendar(
            hours: calendar.hours, yearlyVacations: calendar.yearlyVacations, oneTimeVacations: calendar.oneTimeVacations,
            zone: TimeZone(identifier: "Europe/Berlin"))
        for _ in 0..<10 {
            let from = Int64.random(in: 0...4_000_000_000, using: &generator)
            let seconds = Int64.random(in: 1...86_400 * 300_000, using: &generator)
            let deadline = zoned.destination(from: from, adding: seconds)
            #expect(zoned.seconds(from: from, to: deadline) == seconds, "from \(from) adding \(seconds)")
            #expect(zoned.seconds(from: from, to: deadline - 1) < seconds, "from \(from) adding \(seconds)")
        }
        // Nearly no working time: an hour on Mondays that fall on the 29th to 31st (some five a
        // year), then only on Mondays that are 29 February: the deadline of the largest minutes
        // lies seven million years ahead, then past the end of representable time.
        let rare = WorkingCalendar(
            hours: [1, 0, 0, 0, 0, 0, 0], yearlyVacations: (1...12).flatMap { month in (1...28).map { .init(month: month, day: $0) } },
            oneTimeVacations: [])
        let far = rare.destination(from: 0, adding: Int64(Int32.max) * 60)
        #expect(far > 86_400 * 365 * 7_000_000 && rare.seconds(from: 0, to: far) == Int64(Int32.max) * 60)
        let leapDaysOnly = WorkingCalendar(
            hours: [1, 0, 0, 0, 0, 0, 0],
            yearlyVacations: (1...12).flatMap { month in (1...CivilDate.daysInMonth(2001, month)).map { .init(month: month, day: $0) } },
            oneTimeVacations: [])
        #expect(leapDaysOnly.destination(from: 0, adding: Int64(Int32.max) * 60) == 3_000_000_000_000_000)
    }

    @Test("a calendar without working time never reaches a deadline")
    func noWorkingTime() {
        let never = WorkingCalendar(hours: Array(repeating: 0, count: 7), yearlyVacations: [], oneTimeVacations: [])
        #expect(never.seconds(from: 0, to: 86_400 * 365) == 0)
        #expect(never.destination(from: 0, adding: 60) == 3_000_000_000_000_000)
        #expect(never.destination(from: 0, adding: 0) == 0)
    }

    @Test("the settings' texts: Znuny's default, split hours, days off")
    func settingsTexts() throws {
        #expect(Settings().workingCalendar == .znunyDefault)
        let custom = try WorkingCalendar(
            workingHours: " Mon = 8-11, 13-16 ; Sat=10;Sun=", vacationDays: "1-1; 12-25", oneTimeVacationDays: "2026-04-03")
        #expect(custom.hours == [WorkingCalendar.hourBits(8...11) | WorkingCalendar.hourBits(13...16), 0, 0, 0, 0, 1 << 10, 0])
        #expect(custom.yearlyVacations == [.init(month: 1, day: 1), .init(month: 12, day: 25)])
        #expect(custom.oneTimeVacations == [20_546])
        #expect(
            Settings(["TimeWorkingHours": "Mon=9-16", "TimeVacationDaysOneTime": "2026-04-03"]).workingCalendar.hours[0]
                == WorkingCalendar.hourBits(9...16))
        // Monday 2026-11-30 11:30 plus two hours: 11:30-12:00, a lunch break, 13:00-14:30.
        #expect(custom.destination(from: 1_796_038_200, adding: 7_200) == 1_796_049_000)
    }

    /// The working seconds between two instants, UTC hour by UTC hour, each on the zone's wall
    /// clock (whole-hour offsets only).
    private static func walkedInZone(_ calendar: WorkingCalendar, _ zone: TimeZone, from: Int64, to: Int64) -> Int64 {
        guard to > from else { return 0 }
        var total: Int64 = 0
        var hour = from - ((from % 3_600) + 3_600) % 3_600
        while hour < to {
            let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour))))
            let wall = hour + offset
            let day = CivilDate.dayNumber(unixSeconds: wall)
            let date = CivilDate(unixSeconds: wall)
            let vacation =
                calendar.yearlyVacations.contains { $0.month == date.month && $0.day == date.day }
                || calendar.oneTimeVacations.contains(day)
            if !vacation, calendar.hours[CivilDate.weekday(ofDay: day)] & (1 << UInt32(date.hour)) != 0 {
                total += max(0, min(to, hour + 3_600) - max(from, hour))
            }
            hour += 3_600
        }
        return total
    }

    @Test("a calendar in a time zone with daylight saving time counts on its wall clock")
    func timeZone() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let calendar = try WorkingCalendar(
            workingHours: "Mon=8-16;Tue=8-16;Wed=8-16;Thu=8-16;Fri=8-16", vacationDays: "", oneTimeVacationDays: "", zone: "Europe/Berlin")
        #expect(calendar.zone == berlin)
        func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }
        // Friday 27 March 2026 16:30 in Berlin (15:30 UTC, winter time) plus an hour: half an
        // hour on Friday, half on Monday from 08:00 summer time (06:00 UTC).
        #expect(calendar.destination(from: try at("2026-03-27 15:30:00"), adding: 3_600) == (try at("2026-03-30 06:30:00")))
        #expect(calendar.seconds(from: try at("2026-03-27 15:30:00"), to: try at("2026-03-30 06:30:00")) == 3_600)
        // In October the clock goes back: Monday 08:00 is 07:00 UTC again.
        #expect(calendar.destination(from: try at("2026-10-23 14:30:00"), adding: 3_600) == (try at("2026-10-26 07:30:00")))
        #expect(try WorkingCalendar(workingHours: "", vacationDays: "", oneTimeVacationDays: "", zone: "UTC").zone == nil)
        #expect(throws: DeskError.self) {
            try WorkingCalendar(workingHours: "", vacationDays: "", oneTimeVacationDays: "", zone: "Mars/Olympus")
        }

        var generator = SystemRandomNumberGenerator()
        let zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo"].compactMap(TimeZone.init(identifier:))
        for zone in zones {
            for _ in 0..<10 {
                let random = Self.randomCalendar(&generator)
                let zoned = WorkingCalendar(
                    hours: random.hours, yearlyVacations: random.yearlyVacations,
                    oneTimeVacations: (0..<20).map { _ in Int64.random(in: 20_089...20_820, using: &generator) }, zone: zone)
                let from = Int64.random(in: 1_735_689_600...1_798_761_600, using: &generator)
                let to = from + Int64.random(in: 0...86_400 * 120, using: &generator)
                let counted = zoned.seconds(from: from, to: to)
                #expect(counted == Self.walkedInZone(zoned, zone, from: from, to: to), "\(zone) from \(from) to \(to)")
                guard counted > 0 else { continue }
                let deadline = zoned.destination(from: from, adding: counted)
                #expect(zoned.seconds(from: from, to: deadline) == counted, "\(zone) from \(from) adding \(counted)")
                #expect(zoned.seconds(from: from, to: deadline - 1) < counted, "\(zone) from \(from) adding \(counted)")
            }
        }
    }
}
