/// SQLite: new articles and tickets enter the full-text indexes when their transaction
/// commits, not statement by statement (`FullTextQueue`).
///
/// FTS5 writes its pending terms to disk at every savepoint, and SQLite opens a statement
/// savepoint for every statement of a transaction that writes several rows or fires triggers
/// (a ticket's events, an article's own trigger): with the indexes written by insert triggers, a
/// batch of creates flushed both FTS5 tables many times per create (~25 % of a create's CPU).
/// The insert triggers now only queue the row in `fts_pending`; the queue is indexed in one
/// statement per table just before COMMIT. Delete and update triggers leave the index alone
/// for a row still queued (the queue indexes the row as it is at COMMIT) and drop it from the
/// queue when it is deleted. PostgreSQL is unchanged (its tsvector is a generated column).
enum Schema012 {
    static func statements(_ kind: DatabaseKind) -> [String] {
        switch kind {
        case .sqlite: sqlite
        case .postgres: []
        }
    }

    static let sqlite = [
        "CREATE TABLE fts_pending (kind INTEGER NOT NULL, row_id INTEGER NOT NULL, PRIMARY KEY (kind, row_id)) WITHOUT ROWID",
        "DROP TRIGGER IF EXISTS articles_fts_insert",
        "DROP TRIGGER IF EXISTS articles_fts_delete",
        "DROP TRIGGER IF EXISTS articles_fts_update",
        "DROP TRIGGER IF EXISTS tickets_search_insert",
        "DROP TRIGGER IF EXISTS tickets_search_delete",
        "DROP TRIGGER IF EXISTS tickets_title_update",
        """
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO fts_pending (kind, row_id) VALUES (\(FullTextQueue.article), new.id);
        END
        """,
        """
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO article_fts (article_fts, rowid, subject, body, a_from, a_to, a_cc)
            SELECT 'delete', old.id, old.subject, old.body, old.a_from, old.a_to, old.a_cc
            WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE kind = \(FullTextQueue.article) AND row_id = old.id);
            DELETE FROM fts_pending WHERE kind = \(FullTextQueue.article) AND row_id = old.id;
        END
        """,
        """
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF subject, body, a_from, a_to, a_cc ON articles
        WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE kind = \(FullTextQueue.article) AND row_id = old.id) BEGIN
            INSERT INTO article_fts (article_fts, rowid, subject, body, a_from, a_to, a_cc)
            VALUES ('delete', old.id, old.subject, old.body, old.a_from, old.a_to, old.a_cc);
            INSERT INTO article_fts (rowid, subject, body, a_from, a_to, a_cc)
            VALUES (new.id, new.subject, new.body, new.a_from, new.a_to, new.a_cc);
        END
        """,
        """
        CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO fts_pending (kind, row_id) VALUES (\(FullTextQueue.ticketTitle), new.id);
            INSERT INTO ticket_counts (queue_id, state_id, n) VALUES (new.queue_id, new.state_id, 1)
                ON CONFLICT (queue_id, state_id) DO UPDATE SET n = n + 1;
        END
        """,
        """
        CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO ticket_title_fts (ticket_title_fts, rowid, title)
            SELECT 'delete', old.id, old.title
            WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE kind = \(FullTextQueue.ticketTitle) AND row_id = old.id);
            DELETE FROM fts_pending WHERE kind = \(FullTextQueue.ticketTitle) AND row_id = old.id;
            UPDATE ticket_counts SET n = n - 1 WHERE queue_id = old.queue_id AND state_id = old.state_id;
        END
        """,
        """
        CREATE TRIGGER tickets_title_update AFTER UPDATE OF title ON tickets
        WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE kind = \(FullTextQueue.ticketTitle) AND row_id = old.id) BEGIN
            INSERT INTO ticket_title_fts (ticket_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
            INSERT INTO ticket_title_fts (rowid, title) VALUES (new.id, new.title);
        END
        """,
    ]
}
