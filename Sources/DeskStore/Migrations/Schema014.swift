/// The outbox's indexes cover only the messages still to send (and the failed ones): the
/// outbox keeps every message it ever sent, and a claim reads only the queued ones.
///
/// - `mail_outbox_due`: queued messages by the time they are due (it led with `status` before
///   and held every sent message too).
/// - `mail_outbox_queued`: a ticket's queued messages in id order, for the claim's check that no
///   earlier message of the same ticket goes first (`SQLStoreSession.claimableMail`).
/// - `mail_outbox_failed`: failed messages, newest first, for `swiftdesk mail list`.
///
/// No index leads with `status` any more: PostgreSQL's statistics of a young or fast-changing
/// outbox may say almost nothing is queued, and the planner then answered the claim's check by
/// reading every queued message for each due one through such an index (1,216 queued: 358 ms a
/// claim, on the writer's connection), so a queue that grew under a create load slowed the
/// writes that fill it. Of two partial indexes with the same condition, one that also narrows by
/// ticket is always the cheaper for that check.
enum Schema014 {
    static let statements = [
        "DROP INDEX mail_outbox_due",
        "CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'queued'",
        "CREATE INDEX mail_outbox_queued ON mail_outbox (ticket_id, id) WHERE status = 'queued'",
        "CREATE INDEX mail_outbox_failed ON mail_outbox (id) WHERE status = 'failed'",
    ]
}
