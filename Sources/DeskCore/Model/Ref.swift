/// A reference to a lookup entity by id or by name, as the dialects send them
/// (Znuny's `Queue` / `QueueID`, osTicket's `topicId`, …). The core resolves it against the catalog.
public enum Ref: Sendable, Hashable, CustomStringConvertible {
    case id(Int)
    case name(String)

    public var description: String {
        switch self {
        case .id(let id): String(id)
        case .name(let name): name
        }
    }
}
