import DeskCore
import SQLKit

/// A newest-first page by `SortKey.lastVisibleArticle` without working the key out for every
/// match. Any `offset + limit` matches hold that many key values, so every ticket of the page
/// has a key of at least the lowest of them; a ticket's newest visible article is never later
/// than its last change, so no ticket changed before that bound can reach the page, and only the
/// tickets changed since are sorted by the key. The tickets of the newest visible articles give
/// a tight bound (the most recently changed ones would not: a state change on old tickets, such
/// as a night's automatic closes, puts them first with old keys); without enough of them, the
/// most recently changed matches. SQLite does not know how few tickets changed lately and would
/// read a queue's index instead, so there the candidates are read through `tickets_changed`
/// explicitly; PostgreSQL's planner picks that index from its statistics.
extension SQLStoreSession {
    /// Up to this many tickets changed since the bound are read through `tickets_changed` and
    /// tested one by one; with more, the bounded query is planned as any other.
    static let activityCandidates = 20_000

    /// At most this many of the newest visible articles are walked for the bound's matches
    /// (40 per ticket of the page, at least 2,000).
    static let activityArticles = 100_000

    /// The page; nil when the plan does not apply (another sort, ascending, a page past
    /// `TicketQuery.maxLimit`) or the matches are fewer than `offset + limit` (all are sorted).
    func searchByActivityBound(_ query: TicketQuery, scope: SearchScope, probeCap: Int, candidates cap: Int) async throws -> [Int]? {
        guard let first = query.sort.first, first.key == .lastVisibleArticle, !first.ascending else { return nil }
        let sql = TicketSearchSQL(query: query, scope: scope, kind: kind)
        let wanted = sql.pageOffset + sql.pageSize
        guard wanted <= TicketQuery.maxLimit else { return nil }
        let walked = min(max(Self.idWalkBudget, 40 * wanted), Self.activityArticles)
        var ids = try await recentlyAnsweredTickets(sql, among: walked, wanted: wanted)
        if ids.count < wanted {
            var recent = query
            recent.sort = [(.changed, false)]
            recent.offset = 0
            recent.limit = wanted
            ids = try await plannedSearch(recent, scope: scope, probeCap: probeCap).ids
        }
        guard ids.count == wanted else { return nil }
        let lowest: SQLQueryString = """
            SELECT MIN(\(unsafeRaw: TicketSearchSQL.lastVisibleArticle)) AS bound FROM tickets t \
            WHERE t.id IN (\(binds: ids.map { $0 as any Encodable & Sendable }))
            """
        guard let bound = try await db.search(lowest).first()?.decode(column: "bound", as: Int64?.self) else { return nil }
        let since = max(query.changedFrom ?? bound, bound)
        var bounded = query
        bounded.changedFrom = since
        let boundedSQL = try await prepared(bounded, scope: scope, probeCap: probeCap)
        guard kind == .sqlite else { return try await self.ids(boundedSQL.select()) }
        let counted: SQLQueryString = """
            SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM tickets WHERE changed_at >= \(bind: since) \
            LIMIT \(literal: cap + 1)) c
            """
        let candidates = try await db.search(counted).first()?.decode(column: "n", as: Int.self) ?? 0
        if candidates <= cap {
            return try await self.ids(boundedSQL.changedSince(since, among: cap))
        }
        return try await self.ids(boundedSQL.select())
    }

    /// The first `wanted` matching tickets of the newest `among` visible articles. A ticket
    /// comes once per article, and most come within a few, so the walk first stops after
    /// `4 × wanted` rows (on PostgreSQL at 1 M tickets a ticket lookup per article walked: 2,000
    /// cost 4.6 ms); only when those held fewer tickets is it walked to the end.
    private func recentlyAnsweredTickets(_ sql: TicketSearchSQL, among: Int, wanted: Int) async throws -> [Int] {
        func distinct(_ rows: [Int]) -> [Int] {
            var seen = Set<Int>()
            return Array(rows.filter { seen.insert($0).inserted }.prefix(wanted))
        }
        let firstRows = 4 * wanted
        let first = try await ids(sql.recentlyAnswered(among: among, rows: firstRows))
        let tickets = distinct(first)
        guard tickets.count < wanted, first.count == firstRows else { return tickets }
        return distinct(try await ids(sql.recentlyAnswered(among: among, rows: among)))
    }
}
