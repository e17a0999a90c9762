/// The errors the core throws. Every face maps these, in one table, to its own dialect.
public enum DeskError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The entity (e.g. `ticket`, `queue`) with this key does not exist.
    case notFound(entity: String, key: String)
    /// The principal lacks the permission for `action` (e.g. `create in queue Misc`).
    case accessDenied(action: String)
    /// A value the caller sent is not acceptable.
    case invalid(field: String, reason: String)
    /// The request clashes with existing data (e.g. a duplicate login).
    case conflict(String)

    public var description: String {
        switch self {
        case .notFound(let entity, let key): "\(entity) '\(key)' not found"
        case .accessDenied(let action): "access denied: \(action)"
        case .invalid(let field, let reason): "invalid \(field): \(reason)"
        case .conflict(let message): "conflict: \(message)"
        }
    }
}
