import DeskCore

/// Deadlines stored before this version were counted in calendar time and set on create only;
/// since, Znuny's escalation index sets them in working time after every change it listens to.
/// Requests a rebuild of every ticket's deadlines (`EscalationRebuildService`), which a running
/// server (or `swiftdesk ticket escalation-rebuild`) carries out — only when a queue or an SLA
/// has minutes or a ticket has a deadline: without any, every deadline was and stays 0 (a new
/// database, a benchmark's).
enum Schema025 {
    static let statements = [
        """
        INSERT INTO counters (counter_key, counter_value)
        SELECT '\(EscalationRebuildService.requestedKey)', 1
        WHERE EXISTS (SELECT 1 FROM queues WHERE first_response_time > 0 OR update_time > 0 OR solution_time > 0)
           OR EXISTS (SELECT 1 FROM slas WHERE first_response_time > 0 OR update_time > 0 OR solution_time > 0)
           OR EXISTS (SELECT 1 FROM tickets WHERE escalation_time <> 0)
        ON CONFLICT (counter_key) DO UPDATE SET counter_value = counters.counter_value + 1
        """
    ]
}
