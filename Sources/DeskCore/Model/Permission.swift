/// Agent group permission keys, as Znuny names them. `rw` implies every other key.
public enum Permission: String, Sendable, CaseIterable, Codable {
    case ro
    case moveInto = "move_into"
    case create
    case note
    case owner
    case priority
    case rw
}

/// One grant: an agent holds `permission` in group `groupID`.
public struct GroupPermission: Sendable, Hashable {
    public var groupID: Int
    public var permission: Permission

    public init(groupID: Int, permission: Permission) {
        self.groupID = groupID
        self.permission = permission
    }
}
