import DeskCore
import SQLKit

/// Walking a condition's own index in ticket-id order, for a query sorted newest first
/// (docs/search.md, "Walking by ticket id"). The walk finds the matching tickets with the
/// highest ids; `CreationOrder` then proves that no ticket below them sorts before them, or
/// finds the few that do.
extension TicketSearchSQL {
    /// A condition whose index can be read in ticket-id order, highest id first.
    enum WalkedCondition: Sendable, Equatable {
        /// A dynamic field equal to one value: the (field, value, ticket, position) index.
        case fieldValue(fieldID: Int, value: String)
        /// A title pattern with a wildcard: on SQLite the trigram full-text table of titles, on
        /// PostgreSQL the (id, title trigrams) GiST index read nearest the highest id first.
        case titlePattern(String)
    }

    /// The condition this query can walk by ticket id: when it sorts newest first (the default
    /// order) and names no tickets by id or number, its first dynamic field `Equals` with one
    /// value, or else its one title pattern when the probe found it common (a rare one is
    /// answered from the ids the probe fetched).
    var walkedCondition: WalkedCondition? {
        guard sortsNewestFirst, query.ticketIDs.isEmpty, query.ticketNumbers.isEmpty else { return nil }
        if let field = query.dynamicFields.first(where: { $0.op == .equals && $0.values.count == 1 }) {
            return .fieldValue(fieldID: field.fieldID, value: field.values[0])
        }
        if query.titles.count == 1, let pattern = query.titles.first, Self.isWildcard(pattern),
            case .some(.none) = probe?.titleTickets[pattern]
        {
            return .titlePattern(pattern)
        }
        return nil
    }

    /// Sorted by creation time, newest first: no sort key (the default), or `Created`/`Age`
    /// descending alone.
    var sortsNewestFirst: Bool {
        sortsByCreation && query.sort.first?.ascending != true
    }

    /// The walked condition's tickets, highest id first, at most `budget` of them (for a budgeted
    /// walk: PostgreSQL's title walk reads the same order in one statement, `idWalk`).
    private func walked(_ condition: WalkedCondition, budget: Int) -> SQLQueryString {
        switch condition {
        case .fieldValue(let fieldID, let value):
            """
            SELECT DISTINCT object_id AS id FROM dynamic_field_values WHERE field_id = \(bind: fieldID) AND value_text = \(bind: value)
            ORDER BY object_id DESC LIMIT \(literal: budget)
            """
        case .titlePattern(let pattern) where kind == .sqlite:
            "SELECT rowid AS id FROM ticket_title_fts WHERE title LIKE \(bind: pattern) ORDER BY rowid DESC LIMIT \(literal: budget)"
        case .titlePattern(let pattern):
            """
            SELECT id FROM tickets WHERE \(unsafeRaw: Schema015.titleKey()) LIKE LOWER(\(bind: pattern))
            """ + " " + Self.highestIDFirst("id") + " LIMIT \(literal: budget)"
        }
    }

    /// PostgreSQL's title walk and the newest matches of a common word (`SearchProbe`) order
    /// by `(id + 0) <-> idAnchor` (`Schema015.idKey`), nearest first: highest id first.
    /// btree_gist computes an index entry's distance in double precision, exact below 2^53;
    /// from `Int.max` every id was the same distance away and the index gave them in any order.
    static let idAnchor = 1 << 52

    /// PostgreSQL: `ORDER BY` the id's distance from `idAnchor` on a GiST index's expression
    /// (migrations 15 and 16).
    static func highestIDFirst(_ column: String) -> SQLQueryString {
        "ORDER BY \(unsafeRaw: Schema015.idKey(column)) <-> \(literal: idAnchor)"
    }

    /// Whether the walk reads at most `budget` of the condition's tickets. PostgreSQL's title
    /// walk is one ordered statement over all of them (`idWalk`): it cannot keep the order
    /// through a budgeted subquery, and the planner weighs it against the other conditions'
    /// indexes itself.
    func walkIsBudgeted(_ condition: WalkedCondition) -> Bool {
        if case .titlePattern = condition, kind == .postgres { return false }
        return true
    }

    /// `SELECT t.id, t.created_at`: the first `limit` tickets that match the whole query among
    /// the walked condition's first `budget` (all of them when `walkIsBudgeted` is false),
    /// highest id first. The database reads the condition's index in order and stops at `limit`.
    func idWalk(_ condition: WalkedCondition, budget: Int, limit: Int) -> SQLQueryString {
        if !walkIsBudgeted(condition) {
            // `(id + 0) <-> idAnchor` (btree_gist) orders like `id DESC`, and the GiST index
            // of (id, title trigrams) yields it: the scan stops at the page.
            var keyed = self
            keyed.titlesOnOrderKey = true
            return "SELECT t.id, t.created_at FROM tickets t WHERE " + keyed.conditions().joined(separator: " AND ")
                + " " + Self.highestIDFirst("t.id") + " LIMIT \(literal: limit)"
        }
        // The walked field value holds for every ticket the walk reads: testing it again gave
        // PostgreSQL a semi-join to plan, and where its estimate of the value's tickets was low
        // it read all of them first (50,000 on 212,000 tickets: 48 ms instead of 3).
        var others = self
        if case .fieldValue(let fieldID, let value) = condition {
            others.query.dynamicFields.removeAll { $0.fieldID == fieldID && $0.op == .equals && $0.values == [value] }
        }
        var sql: SQLQueryString = "SELECT t.id, t.created_at FROM (" + walked(condition, budget: budget) + ") w CROSS JOIN tickets t"
        sql += " WHERE " + (["t.id = w.id"] + others.conditions()).joined(separator: " AND ")
        return sql + " ORDER BY w.id DESC LIMIT \(literal: limit)"
    }

    /// `SELECT COUNT(*) AS n` of the walked condition's tickets, counting at most `budget`.
    func walkedCount(_ condition: WalkedCondition, budget: Int) -> SQLQueryString {
        "SELECT COUNT(*) AS n FROM (" + walked(condition, budget: budget) + ") w"
    }
}
