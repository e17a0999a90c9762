/// Znuny's `valid` table: 1 valid, 2 invalid, 3 invalid-temporarily.
public enum Validity: Int, Sendable, Codable {
    case valid = 1
    case invalid = 2
    case invalidTemporarily = 3

    public var name: String {
        switch self {
        case .valid: "valid"
        case .invalid: "invalid"
        case .invalidTemporarily: "invalid-temporarily"
        }
    }
}
