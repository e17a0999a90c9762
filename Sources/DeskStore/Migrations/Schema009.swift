/// The outbox of outgoing mail (see `MailOutboxService`): one row per article sent as e-mail,
/// written in the article's transaction. `claim`/`claimed_until` are a sender's lease;
/// `last_answer` keeps the mail server's last answer.
enum Schema009 {
    static let statements: [String] = [
        """
        CREATE TABLE mail_outbox (
            id {id}, article_id BIGINT NOT NULL, ticket_id BIGINT NOT NULL, status VARCHAR(10) NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, claim VARCHAR(50) NOT NULL DEFAULT '',
            claimed_until BIGINT NOT NULL DEFAULT 0, last_answer TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL,
            sent_at BIGINT)
        """,
        "CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at)",
        "CREATE INDEX mail_outbox_article ON mail_outbox (article_id)",
        "CREATE INDEX mail_outbox_ticket ON mail_outbox (ticket_id)",
    ]
}
