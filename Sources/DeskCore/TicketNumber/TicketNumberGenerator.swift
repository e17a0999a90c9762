/// The ticket number generators SwiftDesk offers, named as Znuny's `Ticket::NumberGenerator`.
public enum TicketNumberGeneratorKind: String, Sendable, CaseIterable {
    /// `YYYYMMDD` + SystemID + counter (zero-padded, resets daily) + check digit. Znuny's default.
    case dateChecksum = "DateChecksum"
    /// SystemID + counter (zero-padded, never resets).
    case autoIncrement = "AutoIncrement"
}

/// Builds ticket numbers. The counter itself lives in the database (shared by every server
/// process); this type only names the counter to bump and formats the result.
public struct TicketNumberGenerator: Sendable {
    public var kind: TicketNumberGeneratorKind
    public var systemID: String
    public var minCounterSize: Int

    public init(kind: TicketNumberGeneratorKind, systemID: String, minCounterSize: Int = 5) {
        self.kind = kind
        self.systemID = systemID
        self.minCounterSize = minCounterSize
    }

    public init(settings: Settings) {
        self.init(
            kind: TicketNumberGeneratorKind(rawValue: settings["Ticket::NumberGenerator"]) ?? .dateChecksum,
            systemID: settings.systemID,
            minCounterSize: Int(settings["Ticket::NumberGenerator::MinCounterSize"]) ?? 5
        )
    }

    /// The key of the shared counter to increment: one per day for date-based numbers.
    public func counterKey(at time: Int64) -> String {
        switch kind {
        case .dateChecksum: "\(kind.rawValue):\(CivilDate(unixSeconds: time).compactString)"
        case .autoIncrement: kind.rawValue
        }
    }

    /// The ticket number for `counter` (the value the shared counter returned) at `time`.
    public func number(counter: Int, at time: Int64) -> String {
        switch kind {
        case .autoIncrement:
            return systemID + Self.zeroPad(counter, to: minCounterSize)
        case .dateChecksum:
            // Znuny pads the DateChecksum counter to 5 digits whatever MinCounterSize says.
            let base = CivilDate(unixSeconds: time).compactString + systemID + Self.zeroPad(counter, to: 5)
            return base + String(Self.checkDigit(of: base))
        }
    }

    /// Znuny's DateChecksum check digit: weights 1,2,1,2… over the digits from the left, the
    /// products summed (not their digit sums), then `10 - sum % 10`, where 10 becomes 1.
    public static func checkDigit(of digits: String) -> Int {
        var sum = 0
        var weight = 1
        // By code points, as Perl splits the number: anything but an ASCII digit counts as 0
        // (`Character.wholeNumberValue` showed in the profile of every create).
        for scalar in digits.unicodeScalars {
            sum += weight * (("0"..."9").contains(scalar) ? Int(scalar.value) - 48 : 0)
            weight = weight == 1 ? 2 : 1
        }
        let digit = 10 - sum % 10
        return digit == 10 ? 1 : digit
    }

    static func zeroPad(_ value: Int, to width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
