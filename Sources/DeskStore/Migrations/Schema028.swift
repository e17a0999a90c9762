/// Znuny's notify-before percentages of queues and SLAs (`first_response_notify`,
/// `update_notify`, `solution_notify`; 0: none), which make TicketGet show
/// `…TimeNotification` and the escalation check write `Escalation…TimeNotifyBefore` events.
enum Schema028 {
    static let statements = ["queues", "slas"].flatMap { table in
        ["first_response_notify", "update_notify", "solution_notify"].map { column in
            "ALTER TABLE \(table) ADD COLUMN \(column) SMALLINT NOT NULL DEFAULT 0"
        }
    }
}
