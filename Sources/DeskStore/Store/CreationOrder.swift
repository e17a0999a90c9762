import SQLKit

/// How far ticket ids follow creation times, kept so that a search sorted newest first can read
/// a condition's matches in id order and still prove its page (docs/search.md, "Walking by
/// ticket id").
///
/// Tickets fall into *segments*: runs of ids in which creation times rise, give or take `gap`.
/// A ticket created more than `gap` before the latest ticket ahead of it in its segment starts a
/// new segment (an import of older tickets; a bulk load after the demo ticket); its id is a row
/// of `ticket_segments`. `tickets.created_high` is the latest creation time among the segment's
/// tickets up to and including this one, stored only when it is later than the ticket's own
/// `created_at` (NULL: its own). Tickets created through SwiftDesk arrive in order: they start
/// no segment and store nothing. Insert triggers keep both (migration 13); a bulk load that set
/// the triggers aside, and the migration itself, call `recompute(from:in:)`.
enum CreationOrder {
    /// Seconds a ticket may be older than the one before it without starting a segment
    /// (creation times are whole seconds, and concurrent creates commit in arrival order).
    static let gap: Int64 = 3_600

    /// A segment of at most this many ids whose tickets are newer than a page is searched
    /// directly rather than giving up the walk (the demo ticket before a bulk load).
    static let smallSegment = 1_000

    /// At most this many segment starts below a page are looked at before giving up the walk.
    static let maxSegments = 8

    /// PostgreSQL: the transaction-level advisory lock every ticket insert takes (the trigger
    /// function), and every counter update before it (`nextCounter`, `reserveTicket`,
    /// `raiseCounter`). The trigger reads the ticket before the new one, and only committed rows
    /// are visible: without the lock, two processes creating tickets under different counter
    /// keys (past midnight, or an import) could each miss the other's ticket and leave
    /// `created_high` too low. SQLite has one writer.
    static let insertLock = 5_400_013

    /// PostgreSQL: takes `insertLock` until the transaction ends.
    static let takeInsertLock = "SELECT pg_advisory_xact_lock(\(insertLock))"

    /// Sets `created_high` and `ticket_segments` for the tickets from id `firstID` on, from
    /// their creation times: what the triggers would have written had they been in place. Reads
    /// the tickets in id order once, `chunk` at a time, and writes only the tickets that differ,
    /// one statement per chunk for each table (an import whose ids do not follow creation times
    /// may have many).
    static func recompute(from firstID: Int, in db: any SQLDatabase) async throws {
        var high = try await db.raw(
            "SELECT COALESCE(created_high, created_at) AS h FROM tickets WHERE id < \(bind: firstID) ORDER BY id DESC LIMIT 1"
        ).first()?.decode(column: "h", as: Int64.self)
        try await db.raw("DELETE FROM ticket_segments WHERE first_id >= \(bind: firstID)").run()
        var after = firstID - 1
        while true {
            let rows = try await db.raw(
                "SELECT id, created_at, created_high FROM tickets WHERE id > \(bind: after) ORDER BY id LIMIT \(literal: chunk)"
            ).all()
            guard !rows.isEmpty else { return }
            var starts: [Int] = []
            var changes: [(id: Int, high: Int64?)] = []
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                let created = try row.decode(column: "created_at", as: Int64.self)
                let stored = try row.decode(column: "created_high", as: Int64?.self)
                var expected: Int64? = nil
                if let previous = high, created + gap < previous {
                    starts.append(id)
                    high = created
                } else if let previous = high, created < previous {
                    expected = previous
                } else {
                    high = created
                }
                if stored != expected { changes.append((id, expected)) }
                after = id
            }
            if !starts.isEmpty {
                let values = starts.map { SQLQueryString("(\(bind: $0))") }.joined(separator: ", ")
                try await db.raw("INSERT INTO ticket_segments (first_id) VALUES " + values).run()
            }
            if !changes.isEmpty {
                // VALUES names its columns column1, column2 on both databases.
                let values = changes.map { SQLQueryString("(CAST(\(bind: $0.id) AS BIGINT), CAST(\(bind: $0.high) AS BIGINT))") }
                    .joined(separator: ", ")
                try await db.raw(
                    "UPDATE tickets SET created_high = v.column2 FROM (VALUES " + values + ") AS v WHERE tickets.id = v.column1"
                ).run()
            }
        }
    }

    /// Tickets `recompute` reads and writes at a time.
    static let chunk = 10_000

    /// A ticket a search found: its id and creation time.
    struct Found: Sendable {
        var id: Int
        var created: Int64
    }

    /// The tickets below id `lowest` created after `oldest` that satisfy `conditions`, or nil
    /// when they cannot be found cheaply: a segment below `lowest` holds tickets newer than
    /// `oldest` and is larger than `smallSegment`, or there are more than `maxSegments`.
    ///
    /// One statement: the segments below `lowest` as id ranges, the latest creation time in
    /// each (its highest ticket's `created_high`), and, for each small range newer than
    /// `oldest`, its tickets newer than `oldest` that match (one round trip on PostgreSQL).
    static func newer(
        below lowest: Int, than oldest: Int64, matching conditions: [SQLQueryString], in db: any SQLDatabase, kind: DatabaseKind
    ) async throws -> [Found]? {
        let sql = newerStatement(below: lowest, than: oldest, matching: conditions, kind: kind)
        var ranges = Set<Int>()
        var found: [Found] = []
        // Prepared on PostgreSQL (`db.raw`, not `db.search`): its plan reads each range by
        // primary key whatever the values, and planning it afresh cost more than running it
        // (0.65–0.95 ms against 0.15–0.35 ms at 1 M tickets).
        for row in try await db.raw(sql).all() {
            let start = try row.decode(column: "start", as: Int.self)
            let stop = try row.decode(column: "stop", as: Int.self)
            ranges.insert(start)
            if let high = try row.decode(column: "high", as: Int64?.self), high > oldest, stop - start > smallSegment { return nil }
            if let id = try row.decode(column: "id", as: Int?.self) {
                found.append(Found(id: id, created: try row.decode(column: "created_at", as: Int64.self)))
            }
        }
        return ranges.count > maxSegments + 1 ? nil : found
    }

    /// The statement of `newer(below:than:matching:in:kind:)`.
    static func newerStatement(
        below lowest: Int, than oldest: Int64, matching conditions: [SQLQueryString], kind: DatabaseKind
    ) -> SQLQueryString {
        // A range that needs no search gets an empty id range, so no ticket of it is read (as a
        // separate term SQLite tested it on every ticket of the range: 100 ms at 1 M tickets).
        let searched: SQLQueryString =
            "CASE WHEN r.high > \(bind: oldest) AND r.stop - r.start <= \(literal: smallSegment) THEN r.stop ELSE r.start END"
        // On PostgreSQL `+ 0` keeps the creation-time test off the `tickets_created` index: the
        // planner, which cannot see how small the id range is, preferred walking every ticket
        // newer than `oldest` by that index (a flood of 25,000 new tickets: 15 ms) to reading
        // the range by primary key.
        let newerThanOldest: SQLQueryString =
            switch kind {
            case .sqlite: "t.created_at > \(bind: oldest)"
            case .postgres: "t.created_at + 0 > \(bind: oldest)"
            }
        let matching: [SQLQueryString] = ["t.id >= r.start", "t.id < " + searched, newerThanOldest] + tested(conditions, kind: kind)
        return
            """
            WITH starts AS (
                SELECT first_id FROM ticket_segments WHERE first_id < \(bind: lowest) ORDER BY first_id DESC LIMIT \(literal: maxSegments + 1)
            ), bounds AS (
                SELECT 0 AS start UNION ALL SELECT first_id FROM starts
            ), ranges AS (
                SELECT start, COALESCE(LEAD(start) OVER (ORDER BY start), \(bind: lowest)) AS stop FROM bounds
            ), highs AS (
                SELECT start, stop, (SELECT COALESCE(p.created_high, p.created_at) FROM tickets p
                    WHERE p.id >= ranges.start AND p.id < ranges.stop ORDER BY p.id DESC LIMIT 1) AS high
                FROM ranges
            )
            SELECT r.start, r.stop, r.high, t.id, t.created_at FROM highs r
            """ + " " + join(matching.joined(separator: " AND "), kind: kind)
    }

    /// The conditions as tests of one ticket at a time. On PostgreSQL they go inside an
    /// `EXISTS` that `OFFSET 0` keeps from becoming a join: otherwise the planner may turn a
    /// condition's own `EXISTS` into a semi-join that first reads every matching row, and the
    /// prepared statement's generic plan, which cannot see the value's frequency, does so once
    /// autovacuum has re-analysed `tickets` (a dynamic-field value held by 250,000 tickets: 1.4 s
    /// for a range that held no ticket; the ten-minute PostgreSQL soak, docs/performance.md).
    private static func tested(_ conditions: [SQLQueryString], kind: DatabaseKind) -> [SQLQueryString] {
        guard kind == .postgres, !conditions.isEmpty else { return conditions }
        return ["EXISTS (SELECT 1 WHERE " + conditions.joined(separator: " AND ") + " OFFSET 0)"]
    }

    /// Joins each range to its matching tickets. PostgreSQL gets a `LATERAL` subquery, so that
    /// it reads each range by primary key: as a plain join it may plan one pass over every
    /// ticket that matches the conditions (seen: a hash join over 250,000 field values, 107 ms).
    private static func join(_ matching: SQLQueryString, kind: DatabaseKind) -> SQLQueryString {
        switch kind {
        case .sqlite: "LEFT JOIN tickets t ON " + matching
        case .postgres: "LEFT JOIN LATERAL (SELECT t.id, t.created_at FROM tickets t WHERE " + matching + ") t ON true"
        }
    }
}
