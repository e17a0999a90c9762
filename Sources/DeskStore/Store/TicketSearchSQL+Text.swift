import DeskCore
import Foundation
import SQLKit

/// The text filters: ticket number, title, customer id and customer user as pattern lists and as
/// `TextFilter` expressions.
extension TicketSearchSQL {
    /// A `TextCondition` as SQL: each pattern is an equality or a `LIKE … ESCAPE` in which only
    /// `%` is a wildcard; on SQLite a title pattern first narrows through the trigram index
    /// (where `_` still matches any character, so it finds a superset that the row test trims).
    func textCondition(_ condition: TextCondition, column: TextFilter.Column, negated: Bool = false) -> SQLQueryString {
        let name = Self.columnName(column)
        switch condition {
        case .matches(let pattern):
            guard pattern.contains("%") else {
                // Ticket numbers are digits: plain equality uses the unique index.
                return column == .ticketNumber
                    ? "t.tn = \(bind: pattern)" : "LOWER(t.\(unsafeRaw: name)) = LOWER(\(bind: pattern))"
            }
            let escaped = pattern.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "_", with: "\\_")
            guard escaped.utf8.count <= longestLikePattern else { return "1 = 0" }
            let test: SQLQueryString = "LOWER(t.\(unsafeRaw: name)) LIKE LOWER(\(bind: escaped)) ESCAPE '\\'"
            // Under a NOT the index narrows nothing: the row test alone.
            guard !negated else { return test }
            guard column == .title else { return narrowed(test, pattern: pattern, column: name, wildcards: Self.filterWildcards) }
            guard kind == .sqlite else { return test }
            return "(t.id IN (SELECT rowid FROM ticket_title_fts WHERE title LIKE \(bind: pattern)) AND " + test + ")"
        case .not(let inner):
            return "NOT (" + textCondition(inner, column: column, negated: !negated) + ")"
        case .all(let parts):
            let rendered = parts.map { textCondition($0, column: column, negated: negated) }
            return parts.isEmpty ? "1 = 1" : "(" + rendered.joined(separator: " AND ") + ")"
        case .any(let parts):
            let rendered = parts.map { textCondition($0, column: column, negated: negated) }
            return parts.isEmpty ? "1 = 0" : rendered.ored()
        case .never:
            return "1 = 0"
        }
    }

    /// LIKE filters: a pattern without `%` compares equal (and can use an index); titles with
    /// wildcards go through the trigram index.
    func textConditions() -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        func like(_ column: String, _ patterns: [String], caseSensitiveIndex: Bool = false) {
            guard !patterns.isEmpty else { return }
            let parts = patterns.map { pattern -> SQLQueryString in
                if pattern.utf8.count > longestLikePattern { return "1 = 0" }
                if !Self.isWildcard(pattern) {
                    // Ticket numbers are digits: plain equality uses the unique index.
                    return caseSensitiveIndex
                        ? "t.\(unsafeRaw: column) = \(bind: pattern)" : "LOWER(t.\(unsafeRaw: column)) = LOWER(\(bind: pattern))"
                }
                if column == "title", let probe, let known = probe.titleTickets[pattern] {
                    // Few matches: their ids; many: test each row while walking the sort order.
                    guard let ids = known else { return "\(unsafeRaw: titleExpression) LIKE LOWER(\(bind: pattern))" }
                    return ids.isEmpty ? "1 = 0" : "t.id IN (\(binds: binds(ids)))"
                }
                if column == "title" && kind == .sqlite {
                    return "t.id IN (SELECT rowid FROM ticket_title_fts WHERE title LIKE \(bind: pattern))"
                }
                let lowered = column == "title" ? titleExpression : "LOWER(t.\(column))"
                let test: SQLQueryString = "\(unsafeRaw: lowered) LIKE LOWER(\(bind: pattern))"
                return narrowed(test, pattern: pattern, column: column, wildcards: Self.listWildcards)
            }
            conditions.append(parts.ored())
        }
        for filter in query.textFilters { conditions.append(textCondition(filter.condition, column: filter.column)) }
        like("tn", query.ticketNumbers, caseSensitiveIndex: true)
        like("title", query.titles)
        if query.customerIDsRaw.isEmpty {
            like("customer_id", query.customerIDs)
        } else {
            conditions.append(exactly("customer_id", query.customerIDsRaw))
        }
        like("customer_user_id", query.customerUserLogins)
        if !query.customerUserLoginsRaw.isEmpty { conditions.append(withoutCase("customer_user_id", query.customerUserLoginsRaw)) }
        if let requesters = query.requesters {
            var parts: [SQLQueryString] = []
            if !requesters.customerIDs.isEmpty { parts.append(exactly("customer_id", requesters.customerIDs)) }
            if !requesters.customerUserLogins.isEmpty { parts.append(withoutCase("customer_user_id", requesters.customerUserLogins)) }
            conditions.append(parts.isEmpty ? "1 = 0" : parts.ored())
        }
        return conditions
    }

    /// The ticket's column that a `TextFilter` tests.
    static func columnName(_ column: TextFilter.Column) -> String {
        switch column {
        case .title: "title"
        case .ticketNumber: "tn"
        case .customerID: "customer_id"
        case .customerUserLogin: "customer_user_id"
        }
    }

    /// The ticket's `column` (customer id or customer user) is one of `values` as stored. Both
    /// columns are indexed by their lower-cased value only (migration 34), so the lower-cased
    /// comparison finds the rows and the plain one keeps the match exact.
    func exactly(_ column: String, _ values: [String]) -> SQLQueryString {
        "(" + withoutCase(column, values) + " AND t.\(unsafeRaw: column) IN (\(binds: binds(values))))"
    }

    /// The ticket's `column` is one of `values` (at least one), compared without regard to case.
    private func withoutCase(_ column: String, _ values: [String]) -> SQLQueryString {
        let lowered = values.map { value -> SQLQueryString in "LOWER(\(bind: value))" }.joined(separator: ", ")
        return "LOWER(t.\(unsafeRaw: column)) IN (" + lowered + ")"
    }
}
