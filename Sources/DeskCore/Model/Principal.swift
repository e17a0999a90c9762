/// Who is acting. Faces authenticate callers into one of these; the core checks permissions on it.
public enum Principal: Sendable {
    case agent(AgentPrincipal)
    case customer(CustomerPrincipal)

    /// The agent id written to created/changed columns and history. Customers act as
    /// `CustomerPanelUserID` (default 1), as in Znuny.
    public func actingUserID(_ settings: Settings) -> Int {
        switch self {
        case .agent(let agent): agent.id
        case .customer: settings.customerPanelUserID
        }
    }
}

/// An authenticated agent and its group permissions.
public struct AgentPrincipal: Sendable {
    public var id: Int
    public var login: String
    public var permissions: Set<GroupPermission>
    /// Set when an admin acts as another agent (`ImpersonateAsUser`): the admin's login.
    public var impersonatedBy: String?

    public init(id: Int, login: String, permissions: Set<GroupPermission>, impersonatedBy: String? = nil) {
        self.id = id
        self.login = login
        self.permissions = permissions
        self.impersonatedBy = impersonatedBy
    }

    /// `rw` in a group implies every other key in it.
    public func has(_ permission: Permission, inGroup groupID: Int) -> Bool {
        permissions.contains(GroupPermission(groupID: groupID, permission: permission))
            || permissions.contains(GroupPermission(groupID: groupID, permission: .rw))
    }

    /// Ids of the groups where the agent holds `permission` (or `rw`).
    public func groups(with permission: Permission) -> Set<Int> {
        Set(permissions.filter { $0.permission == permission || $0.permission == .rw }.map(\.groupID))
    }
}

/// An authenticated customer user and the customer ids whose tickets it may see.
public struct CustomerPrincipal: Sendable {
    public var login: String
    public var customerIDs: [String]

    public init(login: String, customerIDs: [String]) {
        self.login = login
        self.customerIDs = customerIDs
    }
}
