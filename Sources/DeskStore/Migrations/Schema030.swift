/// Znuny's `personal_queues`: the queues an agent chose as "My Queues". Their subscribers hear of
/// new tickets and moves into them, follow-ups and pending reminders of their unlocked tickets,
/// and their escalations (`NotificationPlanner`).
enum Schema030 {
    static let statements = [
        """
        CREATE TABLE personal_queues (
            agent_id BIGINT NOT NULL REFERENCES agents(id), queue_id BIGINT NOT NULL REFERENCES queues(id),
            PRIMARY KEY (agent_id, queue_id))
        """,
        "CREATE INDEX personal_queues_queue ON personal_queues (queue_id, agent_id)",
    ]
}
