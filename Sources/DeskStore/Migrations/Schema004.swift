import SQLKit

/// Search: full-text indexes for articles and titles, the maintained queue × state counts, and
/// indexes for the common query shapes. The two databases differ here more than anywhere else,
/// so each statement list sits next to its twin.
enum Schema004 {
    static func statements(_ kind: DatabaseKind) -> [String] {
        common + (kind == .sqlite ? sqlite : postgres)
    }

    static let common = [
        "CREATE TABLE ticket_counts (queue_id BIGINT NOT NULL, state_id BIGINT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (queue_id, state_id))",
        "INSERT INTO ticket_counts (queue_id, state_id, n) SELECT queue_id, state_id, COUNT(*) FROM tickets GROUP BY queue_id, state_id",
        "CREATE INDEX tickets_queue_created ON tickets (queue_id, created_at)",
        "CREATE INDEX tickets_state_created ON tickets (state_id, created_at)",
        "CREATE INDEX tickets_owner_created ON tickets (owner_id, created_at)",
        "CREATE INDEX tickets_changed ON tickets (changed_at)",
        "CREATE INDEX ticket_history_type_ticket ON ticket_history (history_type_id, ticket_id)",
        "CREATE INDEX dynamic_field_values_field_object ON dynamic_field_values (field_id, object_id, position, value_text)",
    ]

    /// FTS5 tables over article subject/body and ticket titles (trigram, for `LIKE '%x%'`), kept
    /// in sync by triggers inside each writing transaction; triggers also keep `ticket_counts`.
    static let sqlite = [
        "CREATE VIRTUAL TABLE article_fts USING fts5(subject, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        "INSERT INTO article_fts (rowid, subject, body) SELECT id, subject, body FROM articles",
        """
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO article_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
        END
        """,
        """
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO article_fts (article_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
        END
        """,
        """
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF subject, body ON articles BEGIN
            INSERT INTO article_fts (article_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
            INSERT INTO article_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
        END
        """,
        "CREATE VIRTUAL TABLE ticket_title_fts USING fts5(title, content='tickets', content_rowid='id', tokenize='trigram')",
        "INSERT INTO ticket_title_fts (rowid, title) SELECT id, title FROM tickets",
        """
        CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO ticket_title_fts (rowid, title) VALUES (new.id, new.title);
            INSERT INTO ticket_counts (queue_id, state_id, n) VALUES (new.queue_id, new.state_id, 1)
                ON CONFLICT (queue_id, state_id) DO UPDATE SET n = n + 1;
        END
        """,
        """
        CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO ticket_title_fts (ticket_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
            UPDATE ticket_counts SET n = n - 1 WHERE queue_id = old.queue_id AND state_id = old.state_id;
        END
        """,
        """
        CREATE TRIGGER tickets_title_update AFTER UPDATE OF title ON tickets BEGIN
            INSERT INTO ticket_title_fts (ticket_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
            INSERT INTO ticket_title_fts (rowid, title) VALUES (new.id, new.title);
        END
        """,
        """
        CREATE TRIGGER tickets_counts_update AFTER UPDATE OF queue_id, state_id ON tickets
        WHEN old.queue_id <> new.queue_id OR old.state_id <> new.state_id BEGIN
            UPDATE ticket_counts SET n = n - 1 WHERE queue_id = old.queue_id AND state_id = old.state_id;
            INSERT INTO ticket_counts (queue_id, state_id, n) VALUES (new.queue_id, new.state_id, 1)
                ON CONFLICT (queue_id, state_id) DO UPDATE SET n = n + 1;
        END
        """,
    ]

    /// A stored tsvector (subject weighted A, body B; bodies indexed up to 500,000 characters) with
    /// a GIN index, trigram indexes for title LIKE (when pg_trgm can be created), and a trigger
    /// function for `ticket_counts`.
    static let postgres = [
        """
        ALTER TABLE articles ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', left(subject, 10000)), 'A') ||
            setweight(to_tsvector('simple', left(body, 500000)), 'B')) STORED
        """,
        "CREATE INDEX articles_search_tsv ON articles USING GIN (search_tsv)",
        """
        CREATE FUNCTION swiftdesk_ticket_counts() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE ticket_counts SET n = n - 1 WHERE queue_id = OLD.queue_id AND state_id = OLD.state_id;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                INSERT INTO ticket_counts (queue_id, state_id, n) VALUES (NEW.queue_id, NEW.state_id, 1)
                    ON CONFLICT (queue_id, state_id) DO UPDATE SET n = ticket_counts.n + 1;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql
        """,
        "CREATE TRIGGER tickets_counts_insert AFTER INSERT OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION swiftdesk_ticket_counts()",
        """
        CREATE TRIGGER tickets_counts_update AFTER UPDATE OF queue_id, state_id ON tickets FOR EACH ROW
        WHEN (OLD.queue_id IS DISTINCT FROM NEW.queue_id OR OLD.state_id IS DISTINCT FROM NEW.state_id)
        EXECUTE FUNCTION swiftdesk_ticket_counts()
        """,
    ]

    /// Trigram indexes need the pg_trgm extension; where it cannot be created (no contrib
    /// package, no privilege) title LIKE falls back to a scan.
    static func createTrigramIndexes(_ db: any SQLDatabase) async throws {
        try await db.raw("SAVEPOINT trgm").run()
        do {
            try await db.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await db.raw("CREATE INDEX tickets_title_trgm ON tickets USING GIN (LOWER(title) gin_trgm_ops)").run()
            try await db.raw("RELEASE SAVEPOINT trgm").run()
        } catch {
            try await db.raw("ROLLBACK TO SAVEPOINT trgm").run()
            db.logger.warning("pg_trgm is not available: title searches with wildcards will scan", metadata: ["error": "\(error)"])
        }
    }
}
