/// A partial index of the tickets that have an escalation deadline (`escalation_time > 0`:
/// closed tickets and those in queues without minutes have 0) by id, for the escalation
/// check's batches (`EscalationCheckService`): escalated tickets after a given id, in id order,
/// without walking every ticket (Znuny indexes `escalation_time` for the same search).
enum Schema026 {
    static let statements = ["CREATE INDEX tickets_escalating ON tickets (id) WHERE escalation_time > 0"]
}
