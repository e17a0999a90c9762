/// Lookups of agents and customer users for faces, each with its access rule: agents see the
/// directory; customer users see only themselves and the names of agents on their tickets
/// (which come with `TicketService.get`).
public struct DirectoryService: Sendable {
    let store: any DeskStore

    public init(store: any DeskStore) {
        self.store = store
    }

    private func requireAgent(_ principal: Principal) throws(DeskError) {
        guard case .agent = principal else { throw .accessDenied(.readDirectory) }
    }

    /// Agents by id (unknown ids are left out).
    public func agents(ids: [Int], by principal: Principal) async throws -> [Agent] {
        try requireAgent(principal)
        return try await store.lookup { try await $0.agents(ids: ids) }
    }

    public func agent(login: String, by principal: Principal) async throws -> Agent? {
        try requireAgent(principal)
        return try await store.lookup { try await $0.agent(login: login) }
    }

    /// Agents whose login, e-mail address or full name equals `text` (case-insensitive).
    public func agents(matching text: String, by principal: Principal) async throws -> [Agent] {
        try requireAgent(principal)
        return try await store.read { try await $0.agentsMatching(text) }
    }

    /// A customer user by login: agents see any, a customer user only itself.
    public func customerUser(login: String, by principal: Principal) async throws -> CustomerUser? {
        if case .customer(let customer) = principal, customer.login != login { throw DeskError.accessDenied(.readDirectory) }
        return try await store.lookup { try await $0.customerUser(login: login) }
    }

    /// Customer users by login (unknown ones left out): agents see any, a customer user only itself.
    public func customerUsers(logins: [String], by principal: Principal) async throws -> [CustomerUser] {
        var wanted = Array(Set(logins))
        if case .customer(let customer) = principal { wanted = wanted.filter { $0 == customer.login } }
        guard !wanted.isEmpty else { return [] }
        let list = wanted
        return try await store.lookup { try await $0.customerUsers(logins: list) }
    }

    /// Customer users by id (unknown ids are left out); agents only.
    public func customerUsers(ids: [Int], by principal: Principal) async throws -> [CustomerUser] {
        try requireAgent(principal)
        return try await store.lookup { try await $0.customerUsers(ids: ids) }
    }

    /// Customer users with this e-mail address (case-insensitive), valid ones first; agents only.
    public func customerUsers(email: String, by principal: Principal) async throws -> [CustomerUser] {
        try requireAgent(principal)
        return try await store.lookup { try await $0.customerUsers(email: email) }
    }

    /// Valid customer users matching `pattern` (`%` wildcard) by login, e-mail or name; agents only.
    public func customerUsers(matching pattern: String, limit: Int, by principal: Principal) async throws -> [CustomerUser] {
        try requireAgent(principal)
        return try await store.read { try await $0.customerUsers(matching: pattern, limit: limit) }
    }
}
