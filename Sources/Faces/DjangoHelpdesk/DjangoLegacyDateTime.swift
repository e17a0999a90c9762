import DeskCore

/// A single `due_date` as Django 1.10's `DateTimeField` reads it, with its
/// `DATETIME_INPUT_FORMATS`: `YYYY-M-D[ H:M[:S[.ffffff]]]`, `M/D/YYYY[ …]` and `M/D/YY[ …]`
/// (no `T`, no zone; UTC seconds).
enum DjangoLegacyDateTime {
    static func parse(_ text: String) -> Int64? {
        let halves = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let date = halves[0]
        var year: Int?
        var month: Int?
        var day: Int?
        let dashed = date.split(separator: "-", omittingEmptySubsequences: false)
        let slashed = date.split(separator: "/", omittingEmptySubsequences: false)
        let digits = { (part: Substring, lengths: ClosedRange<Int>) -> Int? in
            lengths.contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } ? Int(part) : nil
        }
        if dashed.count == 3 {
            (year, month, day) = (digits(dashed[0], 4...4), digits(dashed[1], 1...2), digits(dashed[2], 1...2))
        } else if slashed.count == 3 {
            (month, day) = (digits(slashed[0], 1...2), digits(slashed[1], 1...2))
            if let long = digits(slashed[2], 4...4) {
                year = long
            } else if let short = digits(slashed[2], 2...2) {
                year = short < 69 ? 2000 + short : 1900 + short  // strptime's %y
            }
        }
        guard let year, let month, let day else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        if halves.count == 2 {
            var clock = halves[1]
            if let dot = clock.firstIndex(of: ".") {
                let fraction = clock[clock.index(after: dot)...]
                guard digits(fraction, 1...6) != nil, clock.filter({ $0 == ":" }).count == 2 else { return nil }
                clock = clock[..<dot]
            }
            let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count), let h = digits(parts[0], 1...2), let m = digits(parts[1], 1...2) else { return nil }
            (hour, minute) = (h, m)
            if parts.count == 3 {
                guard let s = digits(parts[2], 1...2) else { return nil }
                second = s
            }
        }
        guard (1...12).contains(month), (1...CivilDate.daysInMonth(year, month)).contains(day), hour < 24, minute < 60, second < 62
        else { return nil }
        return CivilDate(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59)).unixSeconds
    }
}
