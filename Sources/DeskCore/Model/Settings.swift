/// The few settings kept in the database (`swiftdesk config set KEY VALUE`), typed.
/// Unknown keys are refused by `Settings.known`, so a typo cannot pass silently.
public struct Settings: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// Every key `config set` accepts, with its default and a one-line help.
    public static let known: [(key: String, defaultValue: String, help: String)] = [
        ("SystemID", "10", "two-digit system id used in ticket numbers and session ids (0-99)"),
        ("FQDN", "localhost", "fully qualified host name of this system"),
        ("Ticket::NumberGenerator", "DateChecksum", "DateChecksum or AutoIncrement"),
        ("Ticket::NumberGenerator::MinCounterSize", "5", "zero-padding of the counter (1-20)"),
        ("Ticket::Type", "0", "1 when a ticket type is required (Znuny's Ticket::Type; tickets default to type 1)"),
        ("CustomerPanelUserID", "1", "agent id recorded for changes made by customer users"),
        ("SOAP::User", "", "user name for the legacy rpc.pl interface (empty = disabled)"),
        ("SOAP::Password", "", "password for the legacy rpc.pl interface"),
    ]

    public static func defaultValue(for key: String) -> String? {
        known.first { $0.key == key }?.defaultValue
    }

    public subscript(key: String) -> String {
        values[key] ?? Self.defaultValue(for: key) ?? ""
    }

    public var systemID: String { self["SystemID"] }
    public var customerPanelUserID: Int { Int(self["CustomerPanelUserID"]) ?? 1 }
    public var ticketTypeEnabled: Bool { self["Ticket::Type"] == "1" }

    /// Checks a value before it is stored.
    public static func validate(key: String, value: String) throws(DeskError) {
        guard known.contains(where: { $0.key == key }) else {
            let keys = known.map(\.key).joined(separator: ", ")
            throw .invalid(field: "key", reason: "unknown setting '\(key)'; known: \(keys)")
        }
        switch key {
        case "SystemID":
            guard let number = Int(value), (0...99).contains(number), value.allSatisfy(\.isASCII) else {
                throw .invalid(field: key, reason: "must be a number from 0 to 99")
            }
        case "Ticket::NumberGenerator":
            guard TicketNumberGeneratorKind(rawValue: value) != nil else {
                throw .invalid(field: key, reason: "must be DateChecksum or AutoIncrement")
            }
        case "Ticket::NumberGenerator::MinCounterSize":
            guard let size = Int(value), (1...20).contains(size) else {
                throw .invalid(field: key, reason: "must be a number from 1 to 20")
            }
        case "Ticket::Type":
            guard value == "0" || value == "1" else { throw .invalid(field: key, reason: "must be 0 or 1") }
        case "CustomerPanelUserID":
            guard let id = Int(value), id > 0 else { throw .invalid(field: key, reason: "must be an agent id") }
        default:
            break
        }
    }
}
