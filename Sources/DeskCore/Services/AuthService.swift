/// Authenticates agents and customer users into principals.
public struct AuthService<Store: DeskStore>: Sendable {
    public let store: Store
    public let hasher: PasswordHasher

    public init(store: Store, hasher: PasswordHasher = PasswordHasher()) {
        self.store = store
        self.hasher = hasher
    }


    /// The agent for `login` if `password` is right and the agent is valid; otherwise nil.
    public func authenticateAgent(login: String, password: String) async throws -> AgentPrincipal? {
        let stored = try await store.read { try await $0.agentPasswordHash(login: login) }
        guard let stored else {
            _ = hasher.verify(password, against: DecoyHash.value)
            return nil
        }
        guard hasher.verify(password, against: stored.hash) else { return nil }
        return try await agentPrincipal(id: stored.id)
    }

    /// The principal of a valid agent, with its group permissions (used for sessions too).
    public func agentPrincipal(id: Int) async throws -> AgentPrincipal? {
        try await store.read { reader in
            guard let agent = try await reader.agent(id: id), agent.validity == .valid else { return nil }
            return AgentPrincipal(id: agent.id, login: agent.login, permissions: try await reader.permissions(agentID: agent.id))
        }
    }

    /// The customer user for `login` if `password` is right and the customer user is valid.
    public func authenticateCustomer(login: String, password: String) async throws -> CustomerPrincipal? {
        let stored = try await store.read { try await $0.customerPasswordHash(login: login) }
        guard let stored else {
            _ = hasher.verify(password, against: DecoyHash.value)
            return nil
        }
        guard hasher.verify(password, against: stored) else { return nil }
        return try await customerPrincipal(login: login)
    }

    /// The principal of a valid customer user (used for sessions too).
    public func customerPrincipal(login: String) async throws -> CustomerPrincipal? {
        try await store.read { reader in
            guard let customer = try await reader.customerUser(login: login), customer.validity == .valid else { return nil }
            return CustomerPrincipal(login: customer.login, customerIDs: [customer.customerID])
        }
    }
}

/// A hash of a random password, verified against when a login is unknown, so that a wrong login
/// and a wrong password take the same time.
enum DecoyHash {
    static let value = PasswordHasher().hash(RandomToken.alphanumeric(24))
}
