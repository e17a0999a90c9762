/// A ticket state (`open`, `closed successful`, …) and its state type (`open`, `closed`, …).
public struct TicketState: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var typeID: Int
    public var validity: Validity

    public init(id: Int, name: String, typeID: Int, validity: Validity = .valid) {
        self.id = id
        self.name = name
        self.typeID = typeID
        self.validity = validity
    }
}

/// The state type names whose meaning the core relies on.
public enum StateTypeName {
    public static let new = "new"
    public static let open = "open"
    public static let closed = "closed"
    public static let pendingReminder = "pending reminder"
    public static let pendingAuto = "pending auto"
    public static let removed = "removed"
    public static let merged = "merged"
}
