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
    /// Every prefix pattern reads its range of an index, whatever the probe found: a count has
    /// no sort order to walk instead (`TicketSearchSQL+Prefix`).
    var narrowsEveryPrefix = false

    /// The lowered title that title patterns test (see `titlesOnOrderKey`).
    var titleExpression: String {
        titlesOnOrderKey ? Schema015.titleKey("t.title") : "LOWER(t.title)"
    }

    /// `SELECT t.id … ORDER BY … LIMIT … OFFSET …` (on PostgreSQL, several queues or owners
    /// sorted by creation time alone are read one by one and merged: `mergedByCreation`).
    func select() -> SQLQueryString {
        mergedByCreation() ?? rows("t.id", limit: pageSize, offset: pageOffset)
    }

    /// `SELECT columns … ORDER BY … LIMIT limit OFFSET offset`: one statement for the whole query.
    func rows(_ columns: String, limit: Int, offset: Int, from source: SQLQueryString = "tickets t") -> SQLQueryString {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM " + source
        let (joins, order) = sortClauses()
        for clause in joins { sql += " " + clause }
        let conditions = self.conditions()
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(literal: limit)"
        if offset > 0 { sql += " OFFSET \(literal: offset)" }
        return sql
    }

    /// The matching tickets of the newest `among` customer-visible articles (by article id,
    /// which follows creation), newest first, a ticket once per article: each ticket looked up
    /// by its key as its article comes (on PostgreSQL a `LATERAL` lookup, which its planner
    /// would otherwise turn into a scan of every ticket). At most `rows` of them: the walk stops
    /// there.
    func recentlyAnswered(among: Int, rows: Int) -> SQLQueryString {
        let recent: SQLQueryString = """
            (SELECT ticket_id, id AS article_id FROM articles WHERE is_visible_for_customer = 1 \
            ORDER BY id DESC LIMIT \(literal: among)) recent
            """
        let conditions = self.conditions()
        let tested: SQLQueryString = conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND ")
        switch kind {
        case .sqlite:
            return "SELECT t.id FROM " + recent + " JOIN tickets t ON t.id = recent.ticket_id" + tested
                + " ORDER BY recent.article_id DESC LIMIT \(literal: rows)"
        case .postgres:
            return "SELECT m.id FROM " + recent + " CROSS JOIN LATERAL (SELECT t.id FROM tickets t WHERE t.id = recent.ticket_id"
                + tested + ") m ORDER BY recent.article_id DESC LIMIT \(literal: rows)"
        }
    }

    /// The page from among the tickets changed since `since`, read through `tickets_changed`
    /// (at most `among` of them) and tested one by one, whatever other index a condition has.
    func changedSince(_ since: Int64, among: Int) -> SQLQueryString {
        let recent: SQLQueryString = """
            (SELECT id FROM tickets WHERE changed_at >= \(bind: since) LIMIT \(literal: among)) recent \
            JOIN tickets t ON t.id = recent.id
            """
        return rows("t.id", limit: pageSize, offset: pageOffset, from: recent)
    }

    /// How many ids a page holds (the query's limit, within 1…`TicketQuery.maxLimit`).
    var pageSize: Int { max(1, min(query.limit, TicketQuery.maxLimit)) }
    /// The rows to skip, at most a billion: a page past every ticket is empty either way, and
    /// `pageOffset + pageSize` stays far from overflowing.
    var pageOffset: Int { min(max(0, query.offset), 1_000_000_000) }

    /// `SELECT COUNT(*) …` of at most `cap + 1` matching tickets: a cheap "are there many?".
    func cappedCount(_ cap: Int) -> SQLQueryString {
        var sql: SQLQueryString = "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM tickets t"
        let conditions = self.conditions()
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return sql + " LIMIT \(literal: cap + 1)) AS capped"
    }

    /// `SELECT COUNT(*) AS n FROM tickets t WHERE …`.
    func count() -> SQLQueryString {
        var sql: SQLQueryString = "SELECT COUNT(*) AS n FROM tickets t"
        let conditions = self.conditions()
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return sql
    }

    func binds(_ values: [Int]) -> [any Encodable & Sendable] { values.map { $0 as any Encodable & Sendable } }
    func binds(_ values: [String]) -> [any Encodable & Sendable] { values.map { $0 as any Encodable & Sendable } }

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
            var parts = [exactly("customer_user_id", [login])]
            if !customerIDs.isEmpty { parts.append(exactly("customer_id", customerIDs)) }
            return "(" + parts.joined(separator: " OR ") + ")"
        }
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
        // The conditions of migrations 38 and 40's partial indexes, stated for the planners to
        // use them.
        let leftOut = [
            ("t.type_id", query.typeIDs, Schema038.defaultID), ("t.responsible_id", query.responsibleIDs, Schema038.defaultID),
            ("t.priority_id", query.priorityIDs, Schema040.normalPriorityID), ("t.lock_id", query.lockIDs, Schema040.unlockedID),
        ]
        for (column, ids, id) in leftOut where !ids.isEmpty && !ids.contains(id) {
            conditions.append("\(unsafeRaw: column) <> \(literal: id)")
        }
        inList("t.service_id", query.serviceIDs)
        inList("t.sla_id", query.slaIDs)
        inList("t.created_by", query.createdByIDs)
        if !query.watcherIDs.isEmpty {
            conditions.append(
                Self.ticketsWith("ticket_watchers", "w", "w.agent_id IN (\(binds: binds(query.watcherIDs)))", perTicket: false))
        }
        conditions += createdConditions()
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
        range("t.until_time", query.pendingFrom, query.pendingTo, requireSet: !query.pendingUnsetIsZero)
        range("t.escalation_time", query.escalationFrom, query.escalationTo, requireSet: true)
        range("t.escalation_response_time", query.escalationResponseFrom, query.escalationResponseTo, requireSet: true)
        range("t.escalation_update_time", query.escalationUpdateFrom, query.escalationUpdateTo, requireSet: true)
        range("t.escalation_solution_time", query.escalationSolutionFrom, query.escalationSolutionTo, requireSet: true)
        conditions += timeWindows.map(windowCondition)
        return conditions
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
                    guard condition.op == .like else { return "v.value_text \(unsafeRaw: comparison) \(bind: value)" }
                    return value.utf8.count > longestLikePattern ? "1 = 0" : "LOWER(v.value_text) LIKE LOWER(\(bind: value))"
                }
                return "EXISTS (" + base + " AND " + parts.ored() + ")"
            }
        }
    }

    // MARK: Sorting

    func sortClauses() -> (joins: [SQLQueryString], order: [SQLQueryString]) {
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
            case .lastVisibleArticle: order.append("\(unsafeRaw: Self.lastVisibleArticle) \(unsafeRaw: direction)")
            case .ticketID: order.append("t.id \(unsafeRaw: direction)")
            case .ticketNumber: order.append("t.tn \(unsafeRaw: direction)")
            // Titles and customer ids without case, as Znuny's databases collate text (MySQL's
            // `_ci` collations, PostgreSQL's linguistic ones): their lower-cased indexes' order.
            case .title: order.append("LOWER(t.title) \(unsafeRaw: direction)")
            case .queue:
                join("queue", "LEFT JOIN queues sq ON sq.id = t.queue_id")
                order.append("sq.name \(unsafeRaw: direction)")
            // State, type, service and SLA sort by id, as Znuny's `%SortOptions` name them.
            case .state: order.append("t.state_id \(unsafeRaw: direction)")
            case .lock: order.append("t.lock_id \(unsafeRaw: direction)")
            case .type: order.append("t.type_id \(unsafeRaw: direction)")
            case .priority: order.append("t.priority_id \(unsafeRaw: direction)")
            case .owner:
                join("owner", "LEFT JOIN agents so ON so.id = t.owner_id")
                order.append("so.first_name \(unsafeRaw: direction), so.last_name \(unsafeRaw: direction)")
            case .responsible:
                join("responsible", "LEFT JOIN agents sr ON sr.id = t.responsible_id")
                order.append("sr.first_name \(unsafeRaw: direction), sr.last_name \(unsafeRaw: direction)")
            case .customerID: order.append("LOWER(t.customer_id) \(unsafeRaw: direction)")
            case .service: order.append("t.service_id \(unsafeRaw: direction)")
            case .sla: order.append("t.sla_id \(unsafeRaw: direction)")
            // Tickets without one (0) sort as 0, as since OTRS 6's fix for bug 13837.
            case .pendingTime: order.append("t.until_time \(unsafeRaw: direction)")
            case .escalationTime: order.append("t.escalation_time \(unsafeRaw: direction)")
            case .escalationUpdateTime: order.append("t.escalation_update_time \(unsafeRaw: direction)")
            case .escalationResponseTime: order.append("t.escalation_response_time \(unsafeRaw: direction)")
            case .escalationSolutionTime: order.append("t.escalation_solution_time \(unsafeRaw: direction)")
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
        // Ties by ticket id, unless the sort already ends with it (the background checks' walks).
        if query.sort.last?.key != .ticketID { order.append(tiesAscending ? "t.id ASC" : "t.id DESC") }
        return (joins, order)
    }

    /// `SortKey.lastVisibleArticle` of ticket `t`: its newest customer-visible article's
    /// creation time (through `articles_ticket`), else its own.
    static let lastVisibleArticle =
        "COALESCE((SELECT MAX(va.created_at) FROM articles va WHERE va.ticket_id = t.id AND va.is_visible_for_customer = 1), t.created_at)"

    /// How tickets with equal sort values follow each other. Znuny's `SELECT DISTINCT st.id, …
    /// ORDER BY <key>` leaves them to PostgreSQL, whose DISTINCT sort puts them by ticket id,
    /// ascending. Sorting by a time or the id keeps the key's own direction (newest first under
    /// `Down`), which the creation-order and index walks read in; a dynamic field has its own
    /// rule (`sortField`).
    var tiesAscending: Bool {
        if let field = sortField { return field.ascending }
        guard let first = query.sort.first else { return false }
        switch first.key {
        case .age, .created, .changed, .lastVisibleArticle, .ticketID: return first.ascending
        default: return true
        }
    }
}
