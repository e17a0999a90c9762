import Foundation

/// Numbers as Perl prints them (`%.15g`): `2`, `1.5`, and `0.3` for a sum of 0.1 and 0.2. Used
/// for time units in history names and on the wire.
public enum PlainNumber {
    public static func text(_ value: Double) -> String {
        // Whole numbers below 10^15 print as their digits; `String(format:)` goes through
        // Foundation's formatter, which cost 6 % of a TicketGet (a time unit per article).
        if value == value.rounded(), abs(value) < 1e15, !(value == 0 && value.sign == .minus) {
            return String(Int64(value))
        }
        return String(format: "%.15g", value)
    }
}
