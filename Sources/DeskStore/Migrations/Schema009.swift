/// The outbox of outgoing mail (see `MailOutboxService`): one row per article sent as e-mail or
/// agent notification (`notification` names it, `article_id` 0 when it is about no article),
/// written in the transaction that caused it. `claim`/`claimed_until` are a sender's lease;
/// `last_answer` keeps the mail server's last answer; `security` the `Sign`/`Crypt` choice as JSON.
/// `crypto_keys` holds imported PGP keys and S/MIME certificates (`swiftdesk pgp|smime import`);
/// `auto_responses` and `queue_auto_responses` the texts sent to customers automatically.
enum Schema009 {
    static let statements: [String] = [
        """
        CREATE TABLE mail_outbox (
            id {id}, article_id BIGINT NOT NULL, ticket_id BIGINT NOT NULL, notification VARCHAR(50) NOT NULL DEFAULT '',
            recipient_id BIGINT NOT NULL DEFAULT 0, actor_id BIGINT NOT NULL DEFAULT 0, security TEXT NOT NULL DEFAULT '', status VARCHAR(10) NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, claim VARCHAR(50) NOT NULL DEFAULT '',
            claimed_until BIGINT NOT NULL DEFAULT 0, last_answer TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL,
            sent_at BIGINT)
        """,
        "CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at)",
        "CREATE INDEX mail_outbox_article ON mail_outbox (article_id)",
        "CREATE INDEX mail_outbox_ticket ON mail_outbox (ticket_id)",
        """
        CREATE TABLE crypto_keys (
            id {id}, kind VARCHAR(10) NOT NULL, key_id VARCHAR(100) NOT NULL, fingerprint VARCHAR(100) NOT NULL,
            emails TEXT NOT NULL DEFAULT '', expires_at BIGINT NOT NULL DEFAULT 0, public_data TEXT NOT NULL,
            private_data TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, UNIQUE (kind, fingerprint))
        """,
        """
        CREATE TABLE auto_responses (
            id {id}, name VARCHAR(200) NOT NULL UNIQUE, type_id BIGINT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE queue_auto_responses (
            queue_id BIGINT NOT NULL, type_id BIGINT NOT NULL, auto_response_id BIGINT NOT NULL, PRIMARY KEY (queue_id, type_id))
        """,
    ]
}
