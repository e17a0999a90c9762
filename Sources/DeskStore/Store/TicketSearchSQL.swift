import DeskCore
import SQLKit

/// Builds the one SELECT a `TicketQuery` becomes, for SQLite or PostgreSQL. Joins and subqueries
/// are added only when a filter or sort key needs them; text search uses the full-text indexes of
/// migration 4 (FTS5 on SQLite, tsvector and trigram indexes on PostgreSQL).
struct TicketSearchSQL {
    var query: TicketQuery
    let scope: SearchScope
    let kind: DatabaseKind
    /// What probing the text indexes found (see `SearchProbe`); nil builds the plain form.
    var probe: SearchProbe.Result? = nil
    /// PostgreSQL's title walk: title patterns tested on the expression of the (id, title
    /// trigrams) GiST index (`Schema015.titleKey`), so that the planner reads that index in id order.
    /// (Testing both expressions would halve its estimate of the matches twice over.)
    var titlesOnOrderKey = false

    /// The lowered title that title patterns test (see `titlesOnOrderKey`).
    private var titleExpression: String {
        titlesOnOrderKey ? Schema015.titleKey("t.title") : "LOWER(t.title)"
    }

    /// `SELECT t.id … ORDER BY … LIMIT … OFFSET …` (on PostgreSQL, several queues or owners
    /// sorted by creation time alone are read one by one and merged: `mergedByCreation`).
    func select() -> SQLQueryString {
        mergedByCreation() ?? rows("t.id", limit: pageSize, offset: query.offset)
    }

    private func rows(_ columns: String, limit: Int, offset: Int) -> SQLQueryString {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM tickets t"
        let (joins, order) = sortClauses()
        for clause in joins { sql += " " + clause }
        let conditions = self.conditions()
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(literal: limit)"
        if offset > 0 { sql += " OFFSET \(literal: offset)" }
        return sql
    }

    /// At most this many queues (or owners) are read one by one (`mergedByCreation`), and at
    /// most this many tickets (offset and page) from each.
    static let mergedLists = 16
    static let mergedReach = 1_000

    /// PostgreSQL, a few queues (or, without queues, a few owners) sorted by creation time
    /// alone: each one's first `offset + limit` tickets newest (or oldest) first, read as for
    /// one queue or owner (`creationOrderColumn`: from its (column, created) index), then merged
    /// by creation time and paged. Written as one `IN (…)`, the order cannot come from that
    /// index (PostgreSQL 15 does not merge an `IN` list's index reads), and after a flood of new
    /// tickets elsewhere the planner walked `tickets_created` through the whole flood, filtering.
    private func mergedByCreation() -> SQLQueryString? {
        let list: WritableKeyPath<TicketQuery, [Int]> = query.queueIDs.isEmpty ? \.ownerIDs : \.queueIDs
        let ids = Array(Set(query[keyPath: list])).sorted()
        let reach = pageSize + max(0, query.offset)
        guard kind == .postgres, sortsByCreation, (2...Self.mergedLists).contains(ids.count), reach <= Self.mergedReach
        else { return nil }
        let branches = ids.map { id -> SQLQueryString in
            var one = self
            one.query[keyPath: list] = [id]
            return "(" + one.rows("t.id, t.created_at", limit: reach, offset: 0) + ")"
        }
        let direction = query.sort.first?.ascending == true ? "ASC" : "DESC"
        var sql: SQLQueryString = "SELECT m.id FROM (" + branches.joined(separator: " UNION ALL ") + ") AS m"
        // The same order as the single statement's: creation time, then the highest id first.
        sql += " ORDER BY m.created_at \(unsafeRaw: direction), m.id DESC LIMIT \(literal: pageSize)"
        if query.offset > 0 { sql += " OFFSET \(literal: query.offset)" }
        return sql
    }

    /// How many ids a page holds (the query's limit, within 1…`TicketQuery.maxLimit`).
    var pageSize: Int { max(1, min(query.limit, TicketQuery.maxLimit)) }

    /// `SELECT COUNT(*) …` of at most `cap + 1` matching tickets: a cheap "are there many?".
    func cappedCount(_ cap: Int) -> SQLQueryString {
        var sql: SQLQueryString = "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM tickets t"
        let conditions = self.conditions()
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return sql + " LIMIT \(literal: cap + 1)) AS capped"
    }

    // MARK: Sorting by a dynamic field

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

    /// `SELECT COUNT(*) AS n FROM tickets t WHERE …`.
    func count() -> SQLQueryString {
        var sql: SQLQueryString = "SELECT COUNT(*) AS n FROM tickets t"
        let conditions = self.conditions()
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return sql
    }

    private func binds(_ values: [Int]) -> [any Encodable & Sendable] { values.map { $0 as any Encodable & Sendable } }
    private func binds(_ values: [String]) -> [any Encodable & Sendable] { values.map { $0 as any Encodable & Sendable } }

    // MARK: Conditions

    func conditions() -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let scope = scopeCondition() { conditions.append(scope) }
        conditions += textConditions()
        conditions += idConditions()
        conditions += timeConditions()
        conditions += articleConditions()
        conditions += dynamicFieldConditions()
        switch query.archive {
        case .all: break
        case .archived: conditions.append("t.archive_flag = 1")
        case .notArchived: conditions.append("t.archive_flag = 0")
        }
        return conditions
    }

    private func scopeCondition() -> SQLQueryString? {
        switch scope {
        case .unrestricted:
            return nil
        case .agent(let id, let groupIDs):
            var parts: [SQLQueryString] = ["t.owner_id = \(bind: id)", "t.responsible_id = \(bind: id)"]
            if !groupIDs.isEmpty {
                parts.append("t.queue_id IN (SELECT q.id FROM queues q WHERE q.group_id IN (\(binds: binds(groupIDs))))")
            }
            return "(" + parts.joined(separator: " OR ") + ")"
        case .customer(let login, let customerIDs):
            var parts: [SQLQueryString] = ["t.customer_user_id = \(bind: login)"]
            if !customerIDs.isEmpty { parts.append("t.customer_id IN (\(binds: binds(customerIDs)))") }
            return "(" + parts.joined(separator: " OR ") + ")"
        }
    }

    /// LIKE filters: a pattern without `%` compares equal (and can use an index); titles with
    /// wildcards go through the trigram index.
    private func textConditions() -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        func like(_ column: String, _ patterns: [String], caseSensitiveIndex: Bool = false) {
            guard !patterns.isEmpty else { return }
            let parts = patterns.map { pattern -> SQLQueryString in
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
                return "\(unsafeRaw: lowered) LIKE LOWER(\(bind: pattern))"
            }
            conditions.append("(" + parts.joined(separator: " OR ") + ")")
        }
        like("tn", query.ticketNumbers, caseSensitiveIndex: true)
        like("title", query.titles)
        if query.customerIDsRaw.isEmpty {
            like("customer_id", query.customerIDs)
        } else {
            conditions.append("t.customer_id IN (\(binds: binds(query.customerIDsRaw)))")
        }
        like("customer_user_id", query.customerUserLogins)
        if !query.customerUserLoginsRaw.isEmpty {
            let parts = query.customerUserLoginsRaw.map { login -> SQLQueryString in
                "LOWER(t.customer_user_id) = LOWER(\(bind: login))"
            }
            conditions.append("(" + parts.joined(separator: " OR ") + ")")
        }
        return conditions
    }

    private func idConditions() -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        func inList(_ column: String, _ ids: [Int]) {
            guard !ids.isEmpty else { return }
            if column == creationOrderColumn {
                conditions.append("\(unsafeRaw: column) = ANY(ARRAY[\(binds: binds(ids))])")
            } else {
                conditions.append("\(unsafeRaw: column) IN (\(binds: binds(ids)))")
            }
        }
        inList("t.id", query.ticketIDs)
        if let above = query.ticketIDAbove { conditions.append("t.id > \(bind: above)") }
        inList("t.state_id", query.stateIDs)
        if !query.stateTypeIDs.isEmpty {
            conditions.append("t.state_id IN (SELECT s.id FROM ticket_states s WHERE s.type_id IN (\(binds: binds(query.stateTypeIDs))))")
        }
        inList("t.queue_id", query.queueIDs)
        inList("t.priority_id", query.priorityIDs)
        inList("t.type_id", query.typeIDs)
        inList("t.lock_id", query.lockIDs)
        inList("t.owner_id", query.ownerIDs)
        inList("t.responsible_id", query.responsibleIDs)
        inList("t.service_id", query.serviceIDs)
        inList("t.sla_id", query.slaIDs)
        inList("t.created_by", query.createdByIDs)
        if !query.watcherIDs.isEmpty {
            conditions.append("t.id IN (SELECT w.ticket_id FROM ticket_watchers w WHERE w.agent_id IN (\(binds: binds(query.watcherIDs))))")
        }
        // Created* filters look at the ticket's creation event (the values it was created with).
        let created: [(String, [Int])] = [
            ("type_id", query.createdTypeIDs), ("priority_id", query.createdPriorityIDs),
            ("state_id", query.createdStateIDs), ("queue_id", query.createdQueueIDs),
        ]
        for (column, ids) in created where !ids.isEmpty {
            conditions.append(
                """
                t.id IN (SELECT h.ticket_id FROM ticket_events h WHERE h.kind = 'TicketCreated'
                AND h.\(unsafeRaw: column) IN (\(binds: binds(ids))))
                """)
        }
        return conditions
    }

    private func timeConditions() -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        func range(_ column: String, _ from: Int64?, _ to: Int64?, requireSet: Bool = false) {
            guard from != nil || to != nil else { return }
            if requireSet { conditions.append("\(unsafeRaw: column) > 0") }
            if let from { conditions.append("\(unsafeRaw: column) >= \(bind: from)") }
            if let to { conditions.append("\(unsafeRaw: column) <= \(bind: to)") }
        }
        range("t.created_at", query.createdFrom, query.createdTo)
        range("t.changed_at", query.changedFrom, query.changedTo)
        if query.pendingFrom != nil || query.pendingTo != nil {
            conditions.append(
                "t.state_id IN (SELECT s.id FROM ticket_states s JOIN ticket_state_types st ON st.id = s.type_id WHERE st.name LIKE 'pending%')"
            )
        }
        range("t.until_time", query.pendingFrom, query.pendingTo, requireSet: true)
        range("t.escalation_time", query.escalationFrom, query.escalationTo, requireSet: true)
        range("t.escalation_response_time", query.escalationResponseFrom, query.escalationResponseTo, requireSet: true)
        range("t.escalation_update_time", query.escalationUpdateFrom, query.escalationUpdateTo, requireSet: true)
        range("t.escalation_solution_time", query.escalationSolutionFrom, query.escalationSolutionTo, requireSet: true)
        if query.anyChangeFrom != nil || query.anyChangeTo != nil {
            var sub: SQLQueryString = "t.id IN (SELECT h.ticket_id FROM ticket_events h WHERE 1 = 1"
            if let from = query.anyChangeFrom { sub += " AND h.created_at >= \(bind: from)" }
            if let to = query.anyChangeTo { sub += " AND h.created_at <= \(bind: to)" }
            conditions.append(sub + ")")
        }
        if query.closedFrom != nil || query.closedTo != nil {
            // Closed = created in, or changed to, a closed-type state.
            var sub: SQLQueryString = """
                t.id IN (SELECT h.ticket_id FROM ticket_events h WHERE h.kind IN ('TicketCreated', 'StateChanged')
                AND h.state_id IN (SELECT s.id FROM ticket_states s JOIN ticket_state_types st ON st.id = s.type_id WHERE st.name = 'closed')
                """
            if let from = query.closedFrom { sub += " AND h.created_at >= \(bind: from)" }
            if let to = query.closedTo { sub += " AND h.created_at <= \(bind: to)" }
            conditions.append(sub + ")")
        }
        if query.articleCreatedFrom != nil || query.articleCreatedTo != nil {
            var sub: SQLQueryString = "t.id IN (SELECT a.ticket_id FROM articles a WHERE 1 = 1"
            if let from = query.articleCreatedFrom { sub += " AND a.created_at >= \(bind: from)" }
            if let to = query.articleCreatedTo { sub += " AND a.created_at <= \(bind: to)" }
            conditions.append(sub + ")")
        }
        return conditions
    }

    // MARK: Articles

    private var customerOnly: Bool {
        if case .customer = scope { return true }
        return false
    }

    /// A LIKE pattern with a wildcard (`%` or `_`); without one it is compared for equality.
    static func isWildcard(_ pattern: String) -> Bool {
        pattern.contains("%") || pattern.contains("_")
    }

    /// The title patterns with a wildcard, which `SearchProbe` looks up in the trigram index.
    var wildcardTitles: [String] { query.titles.filter(Self.isWildcard) }

    /// The article text conditions that go through `SearchProbe`: full-text words and the
    /// From/To/Cc/Subject/Body words.
    var probedTextMatches: [ArticleTextMatch] {
        [ArticleTextMatch.fullText(query, kind: kind), ArticleTextMatch.fields(query, kind: kind)].compactMap { $0 }
    }

    private func articleConditions() -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        let visible: SQLQueryString = customerOnly ? " AND a.is_visible_for_customer = 1" : ""
        for match in probedTextMatches {
            conditions.append(textCondition(match, visible: visible))
        }
        if !query.attachmentNames.isEmpty {
            let parts = query.attachmentNames.map { name -> SQLQueryString in "LOWER(f.filename) LIKE LOWER(\(bind: name))" }
            conditions.append(
                """
                t.id IN (SELECT a.ticket_id FROM articles a JOIN attachments f ON f.article_id = a.id WHERE (
                """ + parts.joined(separator: " OR ") + ")" + visible + ")")
        }
        return conditions
    }

    /// Tickets with an article that matches `match`, in the plan the probe chose: the few
    /// matching articles by id, or (many matches) a test of each ticket's articles while the
    /// database walks tickets in sort order and stops after the limit.
    ///
    /// With many matches the articles are split at the probe's `newestFrom`: the
    /// matching ones from there on (a few hundred, the newest) are read from the index as one
    /// set, and only older articles are tested one by one. A ticket none of whose articles is
    /// older (a new ticket that does not match) is then settled by one step in the
    /// (ticket, article) index instead of a full-text lookup. Both halves are read when the
    /// statement runs, so the split changes the cost, never the answer.
    private func textCondition(_ match: ArticleTextMatch, visible: SQLQueryString) -> SQLQueryString {
        switch probe?.articleMatches[match] {
        case .all(let ids):
            guard !ids.isEmpty else { return "1 = 0" }
            return "t.id IN (SELECT a.ticket_id FROM articles a WHERE a.id IN (\(binds: binds(ids)))" + visible + ")"
        case .many(newestFrom: nil):
            return "EXISTS (SELECT 1 FROM articles a WHERE a.ticket_id = t.id AND " + perArticle(match) + visible + ")"
        case .many(newestFrom: let split?):
            return "(t.id IN (SELECT a.ticket_id FROM articles a WHERE " + inIndex(match, from: split) + visible + ")"
                + " OR " + withOlderArticles(split)
                + "EXISTS (SELECT 1 FROM articles a WHERE a.ticket_id = t.id AND a.id < \(bind: split) AND "
                + perArticle(match) + visible + testedPerTicket + "))"
        case nil:
            return "t.id IN (SELECT a.ticket_id FROM articles a WHERE " + inIndex(match) + visible + ")"
        }
    }

    /// Article `a` matches, looked up in the index as a set; with `from`, only the matching
    /// articles with that id or a higher one. On PostgreSQL those are read from migration 16's
    /// (id, words) GiST index: `a.id + 0` is its expression, and the bound is an `int8` as the
    /// index's operator class needs (an `int4` literal left the index unused).
    private func inIndex(_ match: ArticleTextMatch, from split: Int? = nil) -> SQLQueryString {
        switch kind {
        case .sqlite:
            let newest: SQLQueryString = split.map { " AND rowid >= \(bind: $0)" } ?? ""
            return "a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH \(bind: match.expression)" + newest + ")"
        case .postgres:
            let newest: SQLQueryString = split.map { "\(unsafeRaw: Schema015.idKey("a.id")) >= \(bind: $0) AND " } ?? ""
            return newest + "a.search_tsv @@ to_tsquery('simple', \(bind: match.expression))"
        }
    }

    /// PostgreSQL: ends an `EXISTS` that must be tested ticket by ticket. Without `OFFSET 0` the
    /// planner may hash it instead, reading every match first: at 1 M tickets it did so for
    /// the older articles of a common word once their tickets were bounded
    /// (`withOlderArticles`), 17–19 s a search (1.5 M articles with "please").
    private var testedPerTicket: SQLQueryString { kind == .postgres ? " OFFSET 0" : "" }

    /// PostgreSQL: a ticket above the highest one with an article older than `split` has none,
    /// so the walk settles it (a new ticket that does not match) by this comparison instead of
    /// a step down the (ticket, article) index: ~0.4 against ~3 µs a ticket. The bound is read
    /// once as the statement starts (backwards along that index), so it is exact whatever was
    /// written since the probe. SQLite's planner would read it through every older article.
    private func withOlderArticles(_ split: Int) -> SQLQueryString {
        guard kind == .postgres else { return "" }
        return "t.id <= (SELECT MAX(o.ticket_id) FROM articles o WHERE o.id < \(bind: split)) AND "
    }

    /// Article `a` matches, tested for that one row (for correlated use): on SQLite a rowid-bound
    /// FTS5 lookup, on PostgreSQL the stored tsvector of the row.
    private func perArticle(_ match: ArticleTextMatch) -> SQLQueryString {
        switch kind {
        case .sqlite: "EXISTS (SELECT 1 FROM article_fts f WHERE f.rowid = a.id AND article_fts MATCH \(bind: match.expression))"
        case .postgres: "a.search_tsv @@ to_tsquery('simple', \(bind: match.expression))"
        }
    }

    // MARK: Dynamic fields

    private func dynamicFieldConditions() -> [SQLQueryString] {
        query.dynamicFields.map { condition in
            let base: SQLQueryString =
                "SELECT 1 FROM dynamic_field_values v WHERE v.object_id = t.id AND v.field_id = \(bind: condition.fieldID)"
            switch condition.op {
            case .empty:
                let wantsEmpty = condition.values.first.map { $0 != "0" } ?? true
                return (wantsEmpty ? "NOT EXISTS (" : "EXISTS (") + base + ")"
            case .equals, .like, .greaterThan, .greaterThanEquals, .smallerThan, .smallerThanEquals:
                let comparison: String =
                    switch condition.op {
                    case .equals: "="
                    case .like: "LIKE"
                    case .greaterThan: ">"
                    case .greaterThanEquals: ">="
                    case .smallerThan: "<"
                    default: "<="
                    }
                let parts = condition.values.map { value -> SQLQueryString in
                    condition.op == .like
                        ? "LOWER(v.value_text) LIKE LOWER(\(bind: value))"
                        : "v.value_text \(unsafeRaw: comparison) \(bind: value)"
                }
                return "EXISTS (" + base + " AND (" + parts.joined(separator: " OR ") + "))"
            }
        }
    }

    // MARK: Sorting

    /// PostgreSQL, sorted by creation time alone: `t.queue_id` when the query names one queue,
    /// else `t.owner_id` for one owner. The sort then leads with that column and the condition
    /// reads `= ANY(ARRAY[…])`, so that only the (column, created_at) index yields the order and
    /// the database reads that one queue's or owner's tickets newest first.
    ///
    /// Written plainly, the column equals a constant, PostgreSQL drops it from the sort, and the
    /// planner weighs that index against walking `tickets_created` and filtering. It prices the
    /// walk as if the queue's tickets were spread evenly over time (and the walk's heap reads as
    /// sequential): after a flood of new tickets in another queue it walked the whole flood
    /// (64,000 tickets, 20–400 ms, against 0.6 ms; the PostgreSQL soak's main grower).
    var creationOrderColumn: String? {
        guard kind == .postgres, sortsByCreation else { return nil }
        if query.queueIDs.count == 1 { return "t.queue_id" }
        if query.ownerIDs.count == 1 { return "t.owner_id" }
        return nil
    }

    /// Sorted by creation time alone, in either direction: no sort key (the default, newest
    /// first), or `Created`/`Age` alone.
    var sortsByCreation: Bool {
        guard let first = query.sort.first else { return true }
        guard query.sort.count == 1 else { return false }
        switch first.key {
        case .created, .age: return true
        default: return false
        }
    }

    private func sortClauses() -> (joins: [SQLQueryString], order: [SQLQueryString]) {
        var joins: [SQLQueryString] = []
        var joined = Set<String>()
        func join(_ name: String, _ clause: SQLQueryString) {
            if joined.insert(name).inserted { joins.append(clause) }
        }
        var order: [SQLQueryString] = []
        for (key, ascending) in query.sort {
            let direction = ascending ? "ASC" : "DESC"
            switch key {
            case .age, .created: order.append("t.created_at \(unsafeRaw: direction)")
            case .changed: order.append("t.changed_at \(unsafeRaw: direction)")
            case .ticketID: order.append("t.id \(unsafeRaw: direction)")
            case .ticketNumber: order.append("t.tn \(unsafeRaw: direction)")
            case .title: order.append("t.title \(unsafeRaw: direction)")
            case .queue:
                join("queue", "LEFT JOIN queues sq ON sq.id = t.queue_id")
                order.append("sq.name \(unsafeRaw: direction)")
            case .state:
                join("state", "LEFT JOIN ticket_states ss ON ss.id = t.state_id")
                order.append("ss.name \(unsafeRaw: direction)")
            case .lock: order.append("t.lock_id \(unsafeRaw: direction)")
            case .type:
                join("type", "LEFT JOIN ticket_types sty ON sty.id = t.type_id")
                order.append("sty.name \(unsafeRaw: direction)")
            case .priority: order.append("t.priority_id \(unsafeRaw: direction)")
            case .owner:
                join("owner", "LEFT JOIN agents so ON so.id = t.owner_id")
                order.append("so.first_name \(unsafeRaw: direction), so.last_name \(unsafeRaw: direction)")
            case .responsible:
                join("responsible", "LEFT JOIN agents sr ON sr.id = t.responsible_id")
                order.append("sr.first_name \(unsafeRaw: direction), sr.last_name \(unsafeRaw: direction)")
            case .customerID: order.append("t.customer_id \(unsafeRaw: direction)")
            case .service:
                join("service", "LEFT JOIN services ssv ON ssv.id = t.service_id")
                order.append("ssv.name \(unsafeRaw: direction)")
            case .sla:
                join("sla", "LEFT JOIN slas ssl ON ssl.id = t.sla_id")
                order.append("ssl.name \(unsafeRaw: direction)")
            case .pendingTime: order.append(Self.zeroLast("t.until_time", direction))
            case .escalationTime: order.append(Self.zeroLast("t.escalation_time", direction))
            case .escalationUpdateTime: order.append(Self.zeroLast("t.escalation_update_time", direction))
            case .escalationResponseTime: order.append(Self.zeroLast("t.escalation_response_time", direction))
            case .escalationSolutionTime: order.append(Self.zeroLast("t.escalation_solution_time", direction))
            case .dynamicField(let fieldID):
                let alias = "sdf\(fieldID)"
                join(
                    alias,
                    "LEFT JOIN dynamic_field_values \(unsafeRaw: alias) ON \(unsafeRaw: alias).object_id = t.id AND \(unsafeRaw: alias).field_id = \(literal: fieldID) AND \(unsafeRaw: alias).position = 0"
                )
                order.append("(\(unsafeRaw: alias).value_text IS NULL), \(unsafeRaw: alias).value_text \(unsafeRaw: direction)")
            }
        }
        if order.isEmpty { order.append("t.created_at DESC") }
        if let column = creationOrderColumn {
            order.insert("\(unsafeRaw: column) \(unsafeRaw: query.sort.first?.1 == true ? "ASC" : "DESC")", at: 0)
        }
        order.append(sortField?.ascending == true ? "t.id ASC" : "t.id DESC")
        return (joins, order)
    }

    /// Escalation and pending-time sorts put tickets without one (0) last, as Znuny does.
    static func zeroLast(_ column: String, _ direction: String) -> SQLQueryString {
        "CASE WHEN \(unsafeRaw: column) = 0 THEN 1 ELSE 0 END, \(unsafeRaw: column) \(unsafeRaw: direction)"
    }
}

/// Splitting search text into index words: letters and digits only, lower-cased, so nothing a
/// caller sends can change the full-text query syntax.
enum FullText {
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init).filter { !$0.isEmpty }.prefix(32).map {
            $0
        }
    }
}
