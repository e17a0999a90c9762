import DeskCore
import SQLKit

/// Prefix patterns: a pattern such as `CUST-12%` or `2026120410%` matches only values that begin
/// with its text before the first wildcard, and where text sorts bytewise those lie together in
/// the column's index. When few tickets begin so (`SearchProbe`), the statement reads that range
/// of the index instead of testing every ticket in sort order; the pattern's own test stays
/// beside it. When many do, the walk in sort order finds a page sooner than a sort of the whole
/// range would, unless they are old and not too many (`SearchProbe.oldPrefixCap`).
///
/// SQLite compares text bytewise. A PostgreSQL database does so only in the C locale
/// (`ordersTextBytewise`); in another collation the values that begin alike need not sort
/// together, and there every prefix pattern is tested ticket by ticket as before.
extension TicketSearchSQL {
    /// A pattern's column and its text before the first wildcard.
    struct Prefix: Hashable, Sendable {
        let column: String
        let text: String
    }

    /// `pattern`'s prefix on `column`, or nil when no index can serve it: for a pattern that
    /// begins with a wildcard, and for ticket numbers with a letter before it (their index
    /// compares them as written, the pattern without case). Customer ids and users are indexed
    /// lower-cased (migration 34), as their test compares them.
    func prefix(of pattern: String, column: String, wildcards: Set<Character>) -> Prefix? {
        guard Self.prefixColumns.contains(column), pattern.utf8.count <= longestLikePattern else { return nil }
        let text = String(pattern.prefix { !wildcards.contains($0) })
        guard !text.isEmpty, text.count < pattern.count else { return nil }
        if column == "tn" && text.lowercased() != text.uppercased() { return nil }
        return Prefix(column: column, text: text)
    }

    /// The columns with an index that orders their values (or their lower-cased values) bytewise.
    static let prefixColumns: Set<String> = ["tn", "customer_id", "customer_user_id"]

    /// Where the prefix of a pattern in the ticket number and customer lists ends: `%` and `_`
    /// are wildcards there, and PostgreSQL's LIKE takes a backslash as its escape.
    static let listWildcards: Set<Character> = ["%", "_", "\\"]

    /// Where the prefix of a `TextFilter` pattern ends: only `%` is a wildcard there (its test
    /// escapes the rest).
    static let filterWildcards: Set<Character> = ["%"]

    /// The prefixes of the query's patterns that a range could narrow: those of the ticket
    /// number and customer lists and of the `TextFilter` patterns outside a NOT.
    var prefixes: Set<Prefix> {
        var found: Set<Prefix> = []
        func collect(_ condition: TextCondition, column: String) {
            switch condition {
            case .matches(let pattern):
                if let prefix = prefix(of: pattern, column: column, wildcards: Self.filterWildcards) { found.insert(prefix) }
            case .all(let parts), .any(let parts):
                for part in parts { collect(part, column: column) }
            case .not, .never:
                break
            }
        }
        for filter in query.textFilters where filter.column != .title {
            collect(filter.condition, column: Self.columnName(filter.column))
        }
        var lists = [("tn", query.ticketNumbers), ("customer_user_id", query.customerUserLogins)]
        if query.customerIDsRaw.isEmpty { lists.append(("customer_id", query.customerIDs)) }
        for (column, patterns) in lists {
            for pattern in patterns {
                if let prefix = prefix(of: pattern, column: column, wildcards: Self.listWildcards) { found.insert(prefix) }
            }
        }
        return found
    }

    /// The tickets whose `prefix.column` begins with `prefix.text`: a range of the column's
    /// index. Its upper end appends, on SQLite, the byte 0xFF, which no UTF-8 text holds, so
    /// every value that begins with the text lies below it; on PostgreSQL, whose text cannot hold
    /// that byte, the highest code point, U+10FFFF (a value with that noncharacter right after
    /// the prefix would be missed).
    static func range(_ prefix: Prefix, kind: DatabaseKind) -> SQLQueryString {
        let value: SQLQueryString = prefix.column == "tn" ? "t.tn" : "LOWER(t.\(unsafeRaw: prefix.column))"
        let text: SQLQueryString = prefix.column == "tn" ? "\(bind: prefix.text)" : "LOWER(\(bind: prefix.text))"
        let highest: SQLQueryString = kind == .sqlite ? "CAST(X'FF' AS TEXT)" : "chr(1114111)"
        return value + " >= " + text + " AND " + value + " < (" + text + " || " + highest + ")"
    }

    /// `test` (the row test of `pattern` on `column`), narrowed to its prefix's range when the
    /// probe chose it (`SearchProbe.rangedPrefixes`), or always for a count (`narrowsEveryPrefix`).
    func narrowed(_ test: SQLQueryString, pattern: String, column: String, wildcards: Set<Character>) -> SQLQueryString {
        guard let prefix = prefix(of: pattern, column: column, wildcards: wildcards),
            narrowsEveryPrefix || probe?.rangedPrefixes.contains(prefix) == true
        else { return test }
        return "(" + Self.range(prefix, kind: kind) + " AND " + test + ")"
    }
}
