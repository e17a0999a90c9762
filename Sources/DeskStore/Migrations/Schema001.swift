/// The first schema: every table of the ticket core. Names follow Znuny's where it helps a
/// reader who knows Znuny; times are Unix seconds (BIGINT), flags SMALLINT 0/1, so the same SQL
/// runs on SQLite and PostgreSQL. `{id}` and `{blob}` are filled in per dialect (see `DDL`).
enum Schema001 {
    static let statements: [String] = [
        """
        CREATE TABLE valid (id {id}, name VARCHAR(200) NOT NULL UNIQUE)
        """,
        """
        CREATE TABLE agent_groups (
            id {id}, name VARCHAR(200) NOT NULL UNIQUE, comments VARCHAR(250) NOT NULL DEFAULT '',
            valid_id SMALLINT NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, changed_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE agents (
            id {id}, login VARCHAR(200) NOT NULL UNIQUE, password_hash VARCHAR(200) NOT NULL DEFAULT '',
            first_name VARCHAR(100) NOT NULL, last_name VARCHAR(100) NOT NULL, email VARCHAR(250) NOT NULL,
            valid_id SMALLINT NOT NULL DEFAULT 1, out_of_office SMALLINT NOT NULL DEFAULT 0,
            out_of_office_start VARCHAR(10), out_of_office_end VARCHAR(10),
            created_at BIGINT NOT NULL, changed_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE agent_group_permissions (
            agent_id BIGINT NOT NULL REFERENCES agents(id), group_id BIGINT NOT NULL REFERENCES agent_groups(id),
            permission VARCHAR(20) NOT NULL, PRIMARY KEY (agent_id, group_id, permission))
        """,
        """
        CREATE TABLE customer_companies (
            customer_id VARCHAR(150) PRIMARY KEY, name VARCHAR(200) NOT NULL,
            valid_id SMALLINT NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, changed_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE customer_users (
            id {id}, login VARCHAR(200) NOT NULL UNIQUE, password_hash VARCHAR(200) NOT NULL DEFAULT '',
            email VARCHAR(250) NOT NULL, first_name VARCHAR(100) NOT NULL, last_name VARCHAR(100) NOT NULL,
            customer_id VARCHAR(150) NOT NULL, valid_id SMALLINT NOT NULL DEFAULT 1,
            created_at BIGINT NOT NULL, changed_at BIGINT NOT NULL)
        """,
        "CREATE INDEX customer_users_email ON customer_users (email)",
        "CREATE TABLE follow_up_possible (id {id}, name VARCHAR(200) NOT NULL UNIQUE)",
        """
        CREATE TABLE system_addresses (
            id {id}, address VARCHAR(200) NOT NULL, realname VARCHAR(200) NOT NULL, queue_id BIGINT NOT NULL,
            valid_id SMALLINT NOT NULL DEFAULT 1)
        """,
        """
        CREATE TABLE queues (
            id {id}, name VARCHAR(200) NOT NULL UNIQUE, group_id BIGINT NOT NULL REFERENCES agent_groups(id),
            system_address_id BIGINT NOT NULL REFERENCES system_addresses(id), parent_id BIGINT REFERENCES queues(id),
            unlock_timeout INTEGER NOT NULL DEFAULT 0, follow_up_id BIGINT NOT NULL DEFAULT 1,
            first_response_time INTEGER NOT NULL DEFAULT 0, update_time INTEGER NOT NULL DEFAULT 0,
            solution_time INTEGER NOT NULL DEFAULT 0, comments VARCHAR(250) NOT NULL DEFAULT '',
            valid_id SMALLINT NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, changed_at BIGINT NOT NULL)
        """,
        "CREATE TABLE ticket_state_types (id {id}, name VARCHAR(200) NOT NULL UNIQUE)",
        """
        CREATE TABLE ticket_states (
            id {id}, name VARCHAR(200) NOT NULL UNIQUE, type_id BIGINT NOT NULL REFERENCES ticket_state_types(id),
            valid_id SMALLINT NOT NULL DEFAULT 1)
        """,
        "CREATE TABLE ticket_priorities (id {id}, name VARCHAR(200) NOT NULL UNIQUE, valid_id SMALLINT NOT NULL DEFAULT 1)",
        "CREATE TABLE ticket_types (id {id}, name VARCHAR(200) NOT NULL UNIQUE, valid_id SMALLINT NOT NULL DEFAULT 1)",
        "CREATE TABLE ticket_lock_types (id {id}, name VARCHAR(200) NOT NULL UNIQUE)",
        "CREATE TABLE services (id {id}, name VARCHAR(200) NOT NULL UNIQUE, valid_id SMALLINT NOT NULL DEFAULT 1)",
        """
        CREATE TABLE slas (
            id {id}, name VARCHAR(200) NOT NULL UNIQUE, first_response_time INTEGER NOT NULL DEFAULT 0,
            update_time INTEGER NOT NULL DEFAULT 0, solution_time INTEGER NOT NULL DEFAULT 0,
            valid_id SMALLINT NOT NULL DEFAULT 1)
        """,
        """
        CREATE TABLE sla_services (
            sla_id BIGINT NOT NULL REFERENCES slas(id), service_id BIGINT NOT NULL REFERENCES services(id),
            PRIMARY KEY (sla_id, service_id))
        """,
        """
        CREATE TABLE service_customer_users (
            service_id BIGINT NOT NULL REFERENCES services(id), customer_user_login VARCHAR(200) NOT NULL,
            PRIMARY KEY (service_id, customer_user_login))
        """,
        "CREATE TABLE article_sender_types (id {id}, name VARCHAR(200) NOT NULL UNIQUE)",
        "CREATE TABLE communication_channels (id {id}, name VARCHAR(200) NOT NULL UNIQUE)",
        "CREATE TABLE history_types (id {id}, name VARCHAR(200) NOT NULL UNIQUE)",
        "CREATE TABLE auto_response_types (id {id}, name VARCHAR(200) NOT NULL UNIQUE)",
        "CREATE TABLE link_types (id {id}, name VARCHAR(50) NOT NULL UNIQUE)",
        "CREATE TABLE link_states (id {id}, name VARCHAR(50) NOT NULL UNIQUE)",
        """
        CREATE TABLE tickets (
            id {id}, tn VARCHAR(50) NOT NULL UNIQUE, title VARCHAR(255) NOT NULL,
            queue_id BIGINT NOT NULL REFERENCES queues(id), type_id BIGINT REFERENCES ticket_types(id),
            service_id BIGINT REFERENCES services(id), sla_id BIGINT REFERENCES slas(id),
            state_id BIGINT NOT NULL REFERENCES ticket_states(id),
            priority_id BIGINT NOT NULL REFERENCES ticket_priorities(id),
            lock_id BIGINT NOT NULL REFERENCES ticket_lock_types(id),
            owner_id BIGINT NOT NULL REFERENCES agents(id), responsible_id BIGINT NOT NULL REFERENCES agents(id),
            customer_user_id VARCHAR(250), customer_id VARCHAR(150),
            until_time BIGINT NOT NULL DEFAULT 0, archive_flag SMALLINT NOT NULL DEFAULT 0,
            escalation_time BIGINT NOT NULL DEFAULT 0, escalation_response_time BIGINT NOT NULL DEFAULT 0,
            escalation_update_time BIGINT NOT NULL DEFAULT 0, escalation_solution_time BIGINT NOT NULL DEFAULT 0,
            unlock_timeout BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL, created_by BIGINT NOT NULL, changed_at BIGINT NOT NULL, changed_by BIGINT NOT NULL)
        """,
        "CREATE INDEX tickets_queue_state ON tickets (queue_id, state_id, created_at)",
        "CREATE INDEX tickets_owner_state ON tickets (owner_id, state_id)",
        "CREATE INDEX tickets_customer_id ON tickets (customer_id)",
        "CREATE INDEX tickets_customer_user ON tickets (customer_user_id)",
        "CREATE INDEX tickets_created ON tickets (created_at)",
        """
        CREATE TABLE articles (
            id {id}, ticket_id BIGINT NOT NULL REFERENCES tickets(id),
            sender_type_id BIGINT NOT NULL REFERENCES article_sender_types(id),
            channel_id BIGINT NOT NULL REFERENCES communication_channels(id),
            is_visible_for_customer SMALLINT NOT NULL,
            a_from TEXT NOT NULL, a_to TEXT NOT NULL, a_cc TEXT NOT NULL, a_bcc TEXT NOT NULL, a_reply_to TEXT NOT NULL,
            subject TEXT NOT NULL, body TEXT NOT NULL, content_type VARCHAR(250) NOT NULL,
            charset VARCHAR(100) NOT NULL, mime_type VARCHAR(100) NOT NULL, message_id TEXT NOT NULL,
            in_reply_to TEXT NOT NULL, a_references TEXT NOT NULL, incoming_time BIGINT NOT NULL,
            created_at BIGINT NOT NULL, created_by BIGINT NOT NULL, changed_at BIGINT NOT NULL, changed_by BIGINT NOT NULL)
        """,
        "CREATE INDEX articles_ticket ON articles (ticket_id, id)",
        """
        CREATE TABLE attachments (
            id {id}, article_id BIGINT NOT NULL REFERENCES articles(id), filename VARCHAR(250) NOT NULL,
            content_type VARCHAR(250) NOT NULL, content_id VARCHAR(250) NOT NULL, disposition VARCHAR(50) NOT NULL,
            content_size BIGINT NOT NULL, content {blob} NOT NULL)
        """,
        "CREATE INDEX attachments_article ON attachments (article_id)",
        """
        CREATE TABLE dynamic_fields (
            id {id}, name VARCHAR(200) NOT NULL UNIQUE, label VARCHAR(200) NOT NULL, field_order INTEGER NOT NULL,
            field_type VARCHAR(200) NOT NULL, object_type VARCHAR(100) NOT NULL, config TEXT NOT NULL,
            internal_field SMALLINT NOT NULL DEFAULT 0, valid_id SMALLINT NOT NULL DEFAULT 1,
            created_at BIGINT NOT NULL, changed_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE dynamic_field_values (
            id {id}, field_id BIGINT NOT NULL REFERENCES dynamic_fields(id), object_id BIGINT NOT NULL,
            value_text TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX dynamic_field_values_object ON dynamic_field_values (object_id, field_id)",
        "CREATE INDEX dynamic_field_values_field_value ON dynamic_field_values (field_id, value_text)",
        """
        CREATE TABLE ticket_history (
            id {id}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), article_id BIGINT,
            history_type_id BIGINT NOT NULL REFERENCES history_types(id), name TEXT NOT NULL,
            queue_id BIGINT NOT NULL, owner_id BIGINT NOT NULL, priority_id BIGINT NOT NULL, state_id BIGINT NOT NULL,
            type_id BIGINT, created_at BIGINT NOT NULL, created_by BIGINT NOT NULL)
        """,
        "CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id)",
        """
        CREATE TABLE time_accounting (
            id {id}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), article_id BIGINT,
            time_unit DOUBLE PRECISION NOT NULL, created_at BIGINT NOT NULL, created_by BIGINT NOT NULL)
        """,
        "CREATE INDEX time_accounting_ticket ON time_accounting (ticket_id)",
        "CREATE INDEX time_accounting_user_time ON time_accounting (created_by, created_at)",
        """
        CREATE TABLE ticket_watchers (
            ticket_id BIGINT NOT NULL REFERENCES tickets(id), agent_id BIGINT NOT NULL REFERENCES agents(id),
            created_at BIGINT NOT NULL, created_by BIGINT NOT NULL, PRIMARY KEY (ticket_id, agent_id))
        """,
        """
        CREATE TABLE ticket_links (
            source_ticket_id BIGINT NOT NULL REFERENCES tickets(id), target_ticket_id BIGINT NOT NULL REFERENCES tickets(id),
            link_type VARCHAR(50) NOT NULL, link_state VARCHAR(50) NOT NULL, created_at BIGINT NOT NULL,
            created_by BIGINT NOT NULL, PRIMARY KEY (source_ticket_id, target_ticket_id, link_type))
        """,
        "CREATE INDEX ticket_links_target ON ticket_links (target_ticket_id)",
        "CREATE TABLE settings (setting_key VARCHAR(200) PRIMARY KEY, setting_value TEXT NOT NULL)",
        "CREATE TABLE counters (counter_key VARCHAR(200) PRIMARY KEY, counter_value BIGINT NOT NULL)",
    ]
}
