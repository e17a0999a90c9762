import DeskCore
import SQLKit

/// Sorting by a dynamic field: the values walked in index order instead of sorting every match.
extension TicketSearchSQL {
    /// The dynamic field this query sorts by, when that is its only sort key. Tickets with a
    /// value come first, in value order, ties by ticket id in the same direction; tickets without
    /// one follow, by ticket id in that direction. (Znuny leaves tickets without a value to the
    /// database: first when ascending on MySQL, last on PostgreSQL.)
    var sortField: (id: Int, ascending: Bool)? {
        guard query.sort.count == 1, case .dynamicField(let id) = query.sort[0].0 else { return nil }
        return (id, query.sort[0].1)
    }

    /// For many matches: the tickets with a value for the sort field, read in the order of the
    /// (field, value, ticket) index so that the database stops after `limit` matches instead of
    /// sorting every match. `CROSS JOIN` keeps SQLite's join order.
    ///
    /// With a `budget` (PostgreSQL) at most the first `budget` values are read, in a subquery
    /// whose order PostgreSQL keeps (`sortValueCount` tells whether the walk reached the end).
    /// SQLite would sort the subquery's rows again, reading the whole budget first, so it walks
    /// the index unbounded; its count of the matches is cheap and picks the walk only for many.
    func valueWalk(limit: Int, budget: Int?) -> SQLQueryString {
        guard let field = sortField else { return select() }
        let direction = field.ascending ? "ASC" : "DESC"
        var sql: SQLQueryString
        var conditions = self.conditions()
        if let budget {
            sql = "SELECT t.id FROM (" + sortValues(field, budget: budget) + ") sv CROSS JOIN tickets t"
            conditions.insert("t.id = sv.object_id", at: 0)
        } else {
            sql = "SELECT t.id FROM dynamic_field_values sv CROSS JOIN tickets t"
            conditions.insert(contentsOf: ["sv.field_id = \(bind: field.id)", "sv.position = 0", "t.id = sv.object_id"], at: 0)
        }
        sql += " WHERE " + conditions.joined(separator: " AND ")
        sql += " ORDER BY sv.value_text \(unsafeRaw: direction), sv.object_id \(unsafeRaw: direction) LIMIT \(literal: limit)"
        return sql
    }

    /// `SELECT COUNT(*) AS n` of the sort field's values the walk reads, counting at most `budget`.
    func sortValueCount(budget: Int) -> SQLQueryString {
        guard let field = sortField else { return count() }
        return "SELECT COUNT(*) AS n FROM (" + sortValues(field, budget: budget) + ") sv"
    }

    /// The sort field's first `budget` values in sort order, with their tickets.
    private func sortValues(_ field: (id: Int, ascending: Bool), budget: Int) -> SQLQueryString {
        let direction = field.ascending ? "ASC" : "DESC"
        return """
            SELECT object_id, value_text FROM dynamic_field_values WHERE field_id = \(bind: field.id) AND position = 0
            ORDER BY value_text \(unsafeRaw: direction), object_id \(unsafeRaw: direction) LIMIT \(literal: budget)
            """
    }

    /// The matching tickets without a value for the sort field, by id (they sort after the rest).
    func withoutSortValue(limit: Int, offset: Int) -> SQLQueryString {
        guard let field = sortField else { return select() }
        var sql: SQLQueryString = "SELECT t.id FROM tickets t"
        let conditions: [SQLQueryString] =
            [
                "NOT EXISTS (SELECT 1 FROM dynamic_field_values sv WHERE sv.object_id = t.id AND sv.field_id = \(bind: field.id) AND sv.position = 0)"
            ] + self.conditions()
        sql += " WHERE " + conditions.joined(separator: " AND ")
        sql += " ORDER BY t.id \(unsafeRaw: field.ascending ? "ASC" : "DESC") LIMIT \(literal: limit)"
        if offset > 0 { sql += " OFFSET \(literal: offset)" }
        return sql
    }
}
