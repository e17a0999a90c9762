import DeskCore
import SQLKit

/// A newest-first page by `SortKey.lastVisibleArticle` without working the key out for every
/// match. A ticket's newest visible article is never later than its last change, so the
/// `offset + limit` most recently changed matches (an index walk) hold that many key values;
/// no ticket changed before the lowest of them can reach the page, and only the tickets changed
/// since are sorted by the key.
extension SQLStoreSession {
    /// `query` narrowed to the tickets changed since that bound; nil when it does not apply (another
    /// sort, ascending, a page past `TicketQuery.maxLimit`) or when the matches are fewer than the
    /// page (all of them are sorted at once).
    func activityBounded(_ query: TicketQuery, scope: SearchScope, probeCap: Int) async throws -> TicketQuery? {
        guard let first = query.sort.first, first.key == .lastVisibleArticle, !first.ascending else { return nil }
        let sql = TicketSearchSQL(query: query, scope: scope, kind: kind)
        let wanted = sql.pageOffset + sql.pageSize
        guard wanted <= TicketQuery.maxLimit else { return nil }
        var recent = query
        recent.sort = [(.changed, false)]
        recent.offset = 0
        recent.limit = wanted
        let ids = try await plannedSearch(recent, scope: scope, probeCap: probeCap).ids
        guard ids.count == wanted else { return nil }
        let statement: SQLQueryString = """
            SELECT MIN(\(unsafeRaw: TicketSearchSQL.lastVisibleArticle)) AS bound FROM tickets t \
            WHERE t.id IN (\(binds: ids.map { $0 as any Encodable & Sendable }))
            """
        guard let bound = try await db.search(statement).first()?.decode(column: "bound", as: Int64?.self) else { return nil }
        var bounded = query
        bounded.changedFrom = max(query.changedFrom ?? bound, bound)
        return bounded
    }
}
