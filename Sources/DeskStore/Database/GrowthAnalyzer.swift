import Foundation
import SQLKit

/// PostgreSQL: gives a young table fresh planner statistics each time it has grown fourfold,
/// rather than when autovacuum gets round to it.
///
/// A statement PostgreSQL prepares while a table is nearly empty keeps the plan it made for that
/// size (a generic plan, `PreparingPostgresDatabase`) until the table's statistics change; a new
/// database's first creates therefore ran with sequential scans and foreign-key checks planned
/// for empty tables, and slowed down as the tables grew, until autovacuum's first `ANALYZE` a
/// minute later (django-helpdesk creates ~340/s, then 170 and 130/s, then ~350/s again:
/// docs/performance-log.md, "The django-helpdesk face on PostgreSQL and the outbox's claim").
/// `ANALYZE` of a table invalidates every plan that reads it, on every connection.
///
/// A table counts as grown when its file holds at least `minimumPages` pages and at least four
/// times the pages it held at its last analysis (`pg_class.relpages`). The file's size is
/// current at once, unlike the row counters of `pg_stat_user_tables`, which backends report up
/// to seconds later. Growing fourfold happens ever more rarely as a table grows (a new
/// database's busy first minute: five analyses of its largest table); a large table reaches
/// autovacuum's own threshold (a tenth of its rows, looked at once a minute) long before it has
/// grown fourfold, so a large database is left to autovacuum. Doubling instead analysed more
/// often for no better plans (docs/performance-log.md).
/// `ANALYZE` takes a lock that neither reads nor writes wait for, and reads a sample of at most
/// 30,000 rows (90,000 of `tickets`, for migration 33's finer histogram of titles).
public struct GrowthAnalyzer: Sendable {
    /// Pages a table's file must hold before it is analysed here (16 pages of 8 KB: a few
    /// hundred tickets).
    public var minimumPages: Int

    public init(minimumPages: Int = 16) {
        self.minimumPages = minimumPages
    }

    /// Analyses the tables of the current schema that have grown (see the type) — SwiftDesk's,
    /// and any other table that shares its schema; returns their names, sorted. A table the
    /// connection's role does not own is skipped by PostgreSQL with a warning. Nothing on
    /// SQLite, whose planner keeps no such statistics for SwiftDesk.
    @discardableResult
    public func analyzeGrownTables(in database: Database) async throws -> [String] {
        guard database.kind == .postgres else { return [] }
        return try await database.read { db in
            let grown = try await db.raw(
                """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r'
                AND pg_relation_size(c.oid) / current_setting('block_size')::int >= GREATEST(4 * c.relpages, \(bind: minimumPages))
                ORDER BY c.relname
                """
            ).all().map { try $0.decode(column: "relname", as: String.self) }
            guard !grown.isEmpty else { return [] }
            let names = grown.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            try await db.raw(SQLQueryString("ANALYZE " + names.joined(separator: ", "))).run()
            return grown
        }
    }
}
