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

extension Set<GroupPermission> {
    /// Whether these grants let an agent read the tickets of group `groupID` (`ro` or `rw`).
    func allowReading(inGroup groupID: Int) -> Bool {
        contains(GroupPermission(groupID: groupID, permission: .ro)) || contains(GroupPermission(groupID: groupID, permission: .rw))
    }
}
