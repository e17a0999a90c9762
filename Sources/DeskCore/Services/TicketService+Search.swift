extension TicketService {
    /// Ticket ids matching `query` that `principal` may see.
    public func search(_ query: TicketQuery, by principal: Principal) async throws -> [Int] {
        try principal.require(.readTickets)
        var query = query
        query.limit = max(1, min(query.limit, TicketQuery.maxLimit))
        query.offset = max(0, query.offset)
        let bounded = query
        return try await store.read { reader in
            try await reader.searchTickets(bounded, scope: Self.scope(of: principal))
        }
    }

    /// How many tickets match `query` that `principal` may see.
    public func count(_ query: TicketQuery, by principal: Principal) async throws -> Int {
        try principal.require(.readTickets)
        return try await store.read { reader in try await reader.countTickets(query, scope: Self.scope(of: principal)) }
    }

    /// Ticket counts per queue and state over the queues the agent may read (`ro`); agent 1 sees all.
    public func queueStateCounts(by principal: Principal) async throws -> [QueueStateCount] {
        guard case .agent(let agent) = principal else { throw DeskError.accessDenied(.queueOverview) }
        let catalog = try await store.catalog()
        return try await store.read { reader in
            if agent.id == 1 { return try await reader.queueStateCounts(queueIDs: nil) }
            let groups = agent.groups(with: .ro)
            let queues = catalog.queues.all.filter { groups.contains($0.groupID) }.map(\.id)
            return queues.isEmpty ? [] : try await reader.queueStateCounts(queueIDs: queues)
        }
    }

    /// The search scope of a principal. Agent 1 (root@localhost) sees every ticket, as in Znuny.
    static func scope(of principal: Principal) -> SearchScope {
        switch principal {
        case .agent(let agent):
            agent.id == 1 ? .unrestricted : .agent(id: agent.id, groupIDs: agent.groups(with: .ro).sorted())
        case .customer(let customer):
            .customer(login: customer.login, customerIDs: customer.customerIDs)
        }
    }

    /// Time accounted by the agent `login` between `from` and `to` (inclusive). The caller needs
    /// `rw` in group `timeaccounting_webservice` (Znuny's rule for the TimeAccountingGet operation).
    public func timeAccounting(agentLogin login: String, from: Int64, to: Int64, by principal: Principal) async throws
        -> [TimeAccountingReportRow]
    {
        let catalog = try await store.catalog()
        guard GroupAccess.canReadTimeAccounting(principal, catalog: catalog) else { throw DeskError.accessDenied(.readTimeAccounting) }
        return try await store.read { reader in
            guard let target = try await reader.agent(loginIgnoringCase: login) else { throw DeskError.notFound(.agent, key: login) }
            return try await reader.timeAccountingReport(agentID: target.id, from: from, to: to)
        }
    }
}
