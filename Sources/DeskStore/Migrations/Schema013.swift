import SQLKit

/// Creation order by ticket id (`CreationOrder`): `tickets.created_high` and `ticket_segments`,
/// kept by an insert trigger, so that a search sorted newest first can read a condition's own
/// index in ticket-id order and prove its page (docs/search.md, "Walking by ticket id").
///
/// The column is added without a default (NULL means "the ticket's own `created_at`"), so
/// neither database rewrites the table; the existing tickets are then read once in id order and
/// only the out-of-order ones are written (`CreationOrder.recompute`).
///
/// The triggers look at the ticket before the new one in id order (one primary-key step) and
/// write only when the new ticket is older than it. The PostgreSQL function asks with `MAX(id)`,
/// which is always read from the end of the primary key: PL/pgSQL keeps generic plans, and the
/// generic plan for `EXISTS (… WHERE id > $1)` was a scan of every ticket (150 ms a create at
/// 1 M tickets). `created_at` never changes after insert; an update that ever changes it must
/// keep these two in step as well.
enum Schema013 {
    static func statements(_ kind: DatabaseKind) -> [String] {
        switch kind {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }

    /// The latest creation time of the tickets before the new one in its segment.
    private static let previous =
        "(SELECT COALESCE(p.created_high, p.created_at) FROM tickets p WHERE p.id < new.id ORDER BY p.id DESC LIMIT 1)"

    static let sqlite = [
        "CREATE TABLE ticket_segments (first_id INTEGER PRIMARY KEY)",
        "ALTER TABLE tickets ADD COLUMN created_high BIGINT",
        """
        CREATE TRIGGER tickets_created_high AFTER INSERT ON tickets WHEN new.created_at < \(previous) BEGIN
            INSERT INTO ticket_segments (first_id) SELECT new.id WHERE new.created_at + \(CreationOrder.gap) < \(previous)
                ON CONFLICT DO NOTHING;
            UPDATE tickets SET created_high = \(previous)
                WHERE id = new.id AND NOT EXISTS (SELECT 1 FROM ticket_segments s WHERE s.first_id = new.id);
        END
        """,
        """
        CREATE TRIGGER tickets_created_high_after AFTER INSERT ON tickets
        WHEN EXISTS (SELECT 1 FROM tickets a WHERE a.id > new.id) BEGIN
            UPDATE tickets SET created_high = new.created_at
            WHERE id > new.id AND COALESCE(created_high, created_at) < new.created_at
              AND id < COALESCE((SELECT MIN(s.first_id) FROM ticket_segments s WHERE s.first_id > new.id), 9223372036854775807);
        END
        """,
    ]

    static let postgres = [
        "CREATE TABLE ticket_segments (first_id BIGINT PRIMARY KEY)",
        "ALTER TABLE tickets ADD COLUMN created_high BIGINT",
        """
        CREATE FUNCTION swiftdesk_ticket_created_high() RETURNS trigger AS $$
        DECLARE
            previous BIGINT;
            next_start BIGINT;
        BEGIN
            PERFORM pg_advisory_xact_lock(\(CreationOrder.insertLock));
            SELECT COALESCE(p.created_high, p.created_at) INTO previous FROM tickets p
            WHERE p.id = (SELECT MAX(q.id) FROM tickets q WHERE q.id < NEW.id);
            NEW.created_high := NULL;
            IF previous IS NOT NULL AND NEW.created_at + \(CreationOrder.gap) < previous THEN
                INSERT INTO ticket_segments (first_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
            ELSIF previous IS NOT NULL AND NEW.created_at < previous THEN
                NEW.created_high := previous;
            END IF;
            IF (SELECT MAX(a.id) FROM tickets a) > NEW.id THEN
                SELECT COALESCE(MIN(s.first_id), 9223372036854775807) INTO next_start FROM ticket_segments s WHERE s.first_id > NEW.id;
                UPDATE tickets SET created_high = NEW.created_at
                WHERE id > NEW.id AND id < next_start AND COALESCE(created_high, created_at) < NEW.created_at;
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql
        """,
        "CREATE TRIGGER tickets_created_high BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION swiftdesk_ticket_created_high()",
    ]
}
