import DeskCore

/// Service assignments (`ServiceAssignment`): an index by customer user, whose assignments and
/// those of Znuny's `<DEFAULT>` login are read when a ticket is given a service (the table's key
/// starts with the service). Services that exist already become default services: before this
/// migration any customer user could have any service, and so they still can.
enum Schema024 {
    static let statements = [
        "CREATE INDEX service_customer_users_login ON service_customer_users (customer_user_login, service_id)",
        """
        INSERT INTO service_customer_users (service_id, customer_user_login)
        SELECT id, '\(ServiceAssignment.defaultLogin)' FROM services WHERE id NOT IN (SELECT service_id FROM service_customer_users)
        """,
    ]
}
