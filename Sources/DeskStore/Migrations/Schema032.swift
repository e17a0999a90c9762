/// Agents holding a permission in a group, looked up by group (who hears of a ticket in a
/// queue: `agentIDs(holding:inGroup:)`): the primary key leads with the agent, so without this
/// index each notification read every agent's permissions.
enum Schema032 {
    static let statements = [
        "CREATE INDEX agent_group_permissions_group ON agent_group_permissions (group_id, permission, agent_id)"
    ]
}
