import SQLKit

/// Tickets by their exact title, without case, newest first, read from an index of the
/// lower-cased title in that order.
///
/// A title without wildcards (Znuny's `Title` without `*`, the REST API's `title`) compares
/// `LOWER(title) = LOWER(?)`, the lookup a monitoring script makes before it opens a ticket for
/// an alert that may already have one. No index served it: at 1 M tickets SQLite read every
/// ticket (330 ms) and PostgreSQL took the trigram GIN index, whose lists for a title of common
/// words hold tens of thousands of candidates (50 ms cached, 125 ms not). The creation time and
/// id follow the title, so the many tickets one alert's title collects over the years come newest
/// first by a walk rather than a sort.
///
/// On PostgreSQL the index holds `LOWER(title)` too, whose statistics the planner may read
/// instead of those of the trigram indexes: it gets the same finer histogram (`Schema033`).
enum Schema035 {
    static let indexName = "tickets_title_lower"
    static let statement = "CREATE INDEX \(indexName) ON tickets (LOWER(title), created_at, id)"

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        try await db.raw(SQLQueryString(statement)).run()
        guard kind == .postgres else { return }
        try await Schema033.setTargets(db, kind: kind)
        try await db.raw("ANALYZE tickets").run()
    }
}
