import Foundation

/// Numbers as Perl prints them (`%.15g`): `2`, `1.5`, and `0.3` for a sum of 0.1 and 0.2. Used
/// for time units in history names and on the wire.
public enum PlainNumber {
    public static func text(_ value: Double) -> String {
        String(format: "%.15g", value)
    }
}
