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

    /// The login of the agent or customer user.
    public var login: String {
        switch self {
        case .agent(let agent): agent.login
        case .customer(let customer): customer.login
        }
    }

    /// Whether the credential behind this principal allows `scope`. Logins with a password or a
    /// session are not limited; face credentials (API keys, tokens, secret pairs) are.
    public func allows(_ scope: CredentialScope) -> Bool {
        switch self {
        case .agent(let agent): agent.scopes?.contains(scope) ?? true
        case .customer(let customer): customer.scopes?.contains(scope) ?? true
        }
    }

    /// Throws `accessDenied(.useScope)` unless the credential allows `scope`.
    public func require(_ scope: CredentialScope) throws(DeskError) {
        guard allows(scope) else { throw .accessDenied(.useScope(scope)) }
    }
}

/// An authenticated agent and its group permissions.
public struct AgentPrincipal: Sendable {
    public var id: Int
    public var login: String
    public var permissions: Set<GroupPermission>
    /// Set when an admin acts as another agent (`ImpersonateAsUser`): the admin's login.
    public var impersonatedBy: String?
    /// What the face credential used may do; nil for passwords and sessions (no limit).
    public var scopes: Set<CredentialScope>?

    public init(
        id: Int, login: String, permissions: Set<GroupPermission>, impersonatedBy: String? = nil,
        scopes: Set<CredentialScope>? = nil
    ) {
        self.id = id
        self.login = login
        self.permissions = permissions
        self.impersonatedBy = impersonatedBy
        self.scopes = scopes
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
    /// What the face credential used may do; nil for passwords and sessions (no limit).
    public var scopes: Set<CredentialScope>?

    public init(login: String, customerIDs: [String], scopes: Set<CredentialScope>? = nil) {
        self.login = login
        self.customerIDs = customerIDs
        self.scopes = scopes
    }
}
