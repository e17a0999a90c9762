import DeskCore

/// Deadlines stored before this version were counted in calendar time and set on create only;
/// since, Znuny's escalation index sets them in working time after every change it listens to.
/// Requests a rebuild of every ticket's deadlines (`EscalationRebuildService`), which a running
/// server (or `swiftdesk ticket escalation-rebuild`) carries out; on a new database it has
/// nothing to do.
enum Schema025 {
    static let statements = [
        """
        INSERT INTO counters (counter_key, counter_value) VALUES ('\(EscalationRebuildService.requestedKey)', 1)
        ON CONFLICT (counter_key) DO UPDATE SET counter_value = counters.counter_value + 1
        """
    ]
}
