/// Znuny's `personal_services`: the services an agent chose as "My Services". Their subscribers
/// hear of new tickets and follow-ups on unlocked tickets with such a service, and of tickets
/// whose service becomes one of them (`NotificationPlanner`).
enum Schema031 {
    static let statements = [
        """
        CREATE TABLE personal_services (
            agent_id BIGINT NOT NULL REFERENCES agents(id), service_id BIGINT NOT NULL REFERENCES services(id),
            PRIMARY KEY (agent_id, service_id))
        """,
        "CREATE INDEX personal_services_service ON personal_services (service_id, agent_id)",
    ]
}
