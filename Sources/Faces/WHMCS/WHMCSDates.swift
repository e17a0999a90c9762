import DeskCore

/// WHMCS's dates: `YYYY-MM-DD HH:MM:SS` out (SwiftDesk's clock is UTC); in, the forms scripts
/// send to `Carbon::parse`: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, ISO 8601 with `T`,
/// fractions and a zone (`Z`, `+02:00`, `+0200`), or `@<unix seconds>`. WHMCS stores the
/// parsed date with `toDateTimeString()`, the wall-clock time in the zone the text named:
/// `10:00:00+02:00` is stored and shown as `10:00:00`, so the zone is read and dropped.
enum WHMCSDates {
    static func format(_ seconds: Int64) -> String {
        CivilDate(unixSeconds: seconds).timestampString
    }

    static func parse(_ raw: String) -> Int64? {
        let text = raw.trimmingSpaces
        // Unix seconds of the years 1 to 9999 (the dates WHMCS's database column holds).
        if text.hasPrefix("@") {
            guard let seconds = Int64(text.dropFirst()), (-62_135_596_800...253_402_300_799).contains(seconds) else { return nil }
            return seconds
        }
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[index..<index + digits] {
                guard let digit = scalar.properties.numericType != nil && scalar.isASCII ? Int(String(scalar)) : nil else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }
        func take(_ character: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2) else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        if index < scalars.count {
            guard take("T") || take(" ") else { return nil }
            guard let h = number(2), take(":"), let m = number(2) else { return nil }
            hour = h
            minute = m
            if take(":") {
                guard let s = number(2) else { return nil }
                second = s
                if take(".") {
                    let start = index
                    while index < scalars.count, scalars[index].isASCII, scalars[index].properties.numericType != nil { index += 1 }
                    guard index > start else { return nil }
                }
            }
            // A zone (`Z`, `+02:00`, `+0200`) is checked and dropped (see above).
            if !take("Z"), index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
                index += 1
                guard number(2) != nil else { return nil }
                _ = take(":")
                guard number(2) != nil else { return nil }
            }
            guard index == scalars.count else { return nil }
        }
        guard (1...12).contains(month), (1...CivilDate.daysInMonth(year, month)).contains(day), hour < 24, minute < 60, second < 60,
            let seconds = CivilDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second).unixSeconds
        else { return nil }
        return seconds
    }
}
