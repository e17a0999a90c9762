extension AdminService {
    /// An agent with its group grants, for listings.
    public struct AgentListing: Sendable {
        public var agent: Agent
        /// `group:permission`, sorted.
        public var grants: [String]
        /// The names of the agent's "My Queues", sorted.
        public var personalQueues: [String]
        /// The names of the agent's "My Services", sorted.
        public var personalServices: [String]
    }

    /// Every agent, by id, with its grants (read page by page, so the list may be long).
    public func agentListings() async throws -> [AgentListing] {
        let catalog = try await store.catalog()
        var listings: [AgentListing] = []
        var after = 0
        while true {
            let from = after
            let page: [AgentListing] = try await store.read { reader in
                var page: [AgentListing] = []
                for agent in try await reader.agents(afterID: from, limit: 500) {
                    let grants = try await reader.permissions(agentID: agent.id)
                        .sorted { ($0.groupID, $0.permission.rawValue) < ($1.groupID, $1.permission.rawValue) }
                        .map { "\(catalog.groups[$0.groupID]?.name ?? String($0.groupID)):\($0.permission.rawValue)" }
                    let queues = try await reader.subscriptions(.queue, agentID: agent.id).map { catalog.queues[$0]?.name ?? String($0) }
                    let services = try await reader.subscriptions(.service, agentID: agent.id).map {
                        catalog.services[$0]?.name ?? String($0)
                    }
                    page.append(
                        AgentListing(agent: agent, grants: grants, personalQueues: queues.sorted(), personalServices: services.sorted()))
                }
                return page
            }
            guard let last = page.last else { break }
            listings += page
            after = last.agent.id
        }
        return listings
    }

    /// The reference data and settings (queues, groups, states, …).
    public func catalog() async throws -> Catalog {
        try await store.catalog()
    }
}
