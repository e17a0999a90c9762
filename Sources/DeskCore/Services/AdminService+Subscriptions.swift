extension AdminService {
    /// Sets the agent's "My Queues" (Znuny's personal queues; an empty list clears them). Their
    /// subscribers hear of new tickets and moves into them, of follow-ups and pending reminders
    /// of their unlocked tickets and of their escalations. Znuny offers only the queues the agent
    /// may read and drops others when saving; here a queue the agent may not read (`ro` or `rw`
    /// in its group) is refused, so that nothing is dropped unseen.
    public func setPersonalQueues(login: String, queues names: [String]) async throws {
        try await setSubscriptions(.queue, login: login) { agent, catalog, tx in
            let permissions = try await tx.permissions(agentID: agent.id)
            return try names.map { name in
                guard let queue = catalog.queues[name] else { throw DeskError.notFound(.queue, key: name) }
                guard permissions.allowReading(inGroup: queue.groupID) else {
                    let group = catalog.groups[queue.groupID]?.name ?? String(queue.groupID)
                    throw DeskError.invalid(.other("queue \(name)"), .outOfRange("a queue \(login) may read (ro or rw in group \(group))"))
                }
                return queue.id
            }
        }
    }

    /// Sets the agent's "My Services" (Znuny's personal services; an empty list clears them).
    /// Their subscribers hear of new tickets and follow-ups on unlocked tickets with one of these
    /// services, and of tickets whose service becomes one of them; like every notification, only
    /// of tickets they may read. Any service can be chosen, as in Znuny.
    public func setPersonalServices(login: String, services names: [String]) async throws {
        try await setSubscriptions(.service, login: login) { _, catalog, _ in
            try names.map { name in
                guard let service = catalog.services[name] else { throw DeskError.notFound(.service, key: name) }
                return service.id
            }
        }
    }

    /// Replaces the agent's subscriptions of `kind` with the ids `resolve` gives.
    private func setSubscriptions(
        _ kind: Subscription, login: String, resolve: @escaping @Sendable (Agent, Catalog, any StoreWriter) async throws -> [Int]
    ) async throws {
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
            try await tx.setSubscriptions(kind, agentID: agent.id, objectIDs: try await resolve(agent, catalog, tx))
        }
    }
}
