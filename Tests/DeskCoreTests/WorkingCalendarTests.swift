import DeskCore
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
}
