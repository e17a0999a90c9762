extension AdminService {
    /// Sets the agent's "My Queues" (Znuny's personal queues; an empty list clears them). Their
    /// subscribers hear of new tickets and moves into them, of follow-ups and pending reminders
    /// of their unlocked tickets and of their escalations. Znuny offers only the queues the agent
    /// may read and drops others when saving; here a queue the agent may not read (`ro` or `rw`
    /// in its group) is refused, so that nothing is dropped unseen.
    public func setPersonalQueues(login: String, queues names: [String]) async throws {
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
            let permissions = try await tx.permissions(agentID: agent.id)
            var queueIDs: [Int] = []
            for name in names {
                guard let queue = catalog.queues[name] else { throw DeskError.notFound(.queue, key: name) }
                let readable = [Permission.ro, .rw].contains {
                    permissions.contains(GroupPermission(groupID: queue.groupID, permission: $0))
                }
                guard readable else {
                    let group = catalog.groups[queue.groupID]?.name ?? String(queue.groupID)
                    throw DeskError.invalid(.other("queue \(name)"), .outOfRange("a queue \(login) may read (ro or rw in group \(group))"))
                }
                queueIDs.append(queue.id)
            }
            try await tx.setPersonalQueues(agentID: agent.id, queueIDs: queueIDs)
        }
    }
}
