import DeskCore
import Foundation
import SQLKit

extension SQLStoreSession {
    func searchTickets(_ query: TicketQuery, scope: SearchScope) async throws -> [Int] {
        try await plannedSearch(query, scope: scope).ids
    }

    /// `probeCap` is `SearchProbe`'s threshold for "many matches" (tests lower it).
    func searchTickets(_ query: TicketQuery, scope: SearchScope, probeCap: Int) async throws -> [Int] {
        try await plannedSearch(query, scope: scope, probeCap: probeCap).ids
    }

    /// The plan that answered a search.
    enum SearchPlan: Sendable, Equatable {
        /// One statement (`TicketSearchSQL.select`).
        case single
        /// Sorted by a dynamic field with many matches: its values walked in order.
        case valueWalk
        /// Sorted newest first: a condition's index walked by ticket id (`searchByIDWalk`).
        case idWalk
        /// Sorted by one column with an index in that order: the index walked
        /// (`TicketSearchSQL.sortIndexWalk`).
        case sortIndexWalk
        /// Sorted by the newest visible article: only the tickets changed since a bound
        /// (`searchByActivityBound`).
        case activityBound
    }

    /// At most this many tickets of a walked condition are read before the id walk gives up.
    static let idWalkBudget = 2_000

    /// At most this many tickets of a sort column's index are tested before its walk gives up
    /// and the matches are sorted instead (`TicketSearchSQL.sortIndexWalk`; 3 ms at 1 M on
    /// SQLite when it does).
    static let sortIndexBudget = 10_000

    /// PostgreSQL: at most this many values of a sort field are read before the value walk gives
    /// up and the matches are sorted instead (`TicketSearchSQL.valueWalk`). A queue's open
    /// tickets are about one in 40 of a field's values on the benchmark's data; a walk that
    /// gives up has cost ~3 µs a value.
    static let valueWalkBudget = 10_000

    /// A search and the plan that answered it. `probeCap` (see `SearchProbe`), `walkBudget` (see
    /// `idWalkBudget`), `sortBudget` (see `sortIndexBudget`) and `activityCandidates` are
    /// lowered by tests to reach every plan on a small database.
    func plannedSearch(
        _ query: TicketQuery, scope: SearchScope, probeCap: Int = SearchProbe.defaultCap, walkBudget: Int = idWalkBudget,
        valueBudget: Int = valueWalkBudget, sortBudget: Int = sortIndexBudget, activityCandidates: Int = activityCandidates
    ) async throws -> (ids: [Int], plan: SearchPlan) {
        if let page = try await searchByActivityBound(query, scope: scope, probeCap: probeCap, candidates: activityCandidates) {
            return (page, .activityBound)
        }
        let sql = try await prepared(query, scope: scope, probeCap: probeCap)
        if sql.sortField != nil, sql.probe?.manyMatches == true,
            let page = try await searchByValueWalk(sql, budget: kind == .postgres ? valueBudget : nil)
        {
            return (page, .valueWalk)
        }
        if let condition = sql.walkedCondition, let page = try await searchByIDWalk(sql, condition, budget: walkBudget) {
            return (page, .idWalk)
        }
        if let sortIndex = sql.sortIndex, !sql.sortIndexWaitsForCount || sql.probe?.manyMatches == true,
            let page = try await searchBySortIndex(sql, sortIndex, budget: sortBudget)
        {
            return (page, .sortIndexWalk)
        }
        return (try await ids(sql.select()), .single)
    }

    /// The statement of `query`, with what probing the text indexes found (`SearchProbe`).
    func prepared(_ query: TicketQuery, scope: SearchScope, probeCap: Int) async throws -> TicketSearchSQL {
        var sql = TicketSearchSQL(query: query, scope: scope, kind: kind)
        if SearchProbe.applies(to: sql) {
            sql.probe = try await SearchProbe(db: db, kind: kind, cap: probeCap, facts: facts).run(sql)
        }
        return sql
    }

    /// A page of a query sorted newest first, from the tickets of `condition` with the highest
    /// ids (`TicketSearchSQL.idWalk`): read in id order, the database stops at the page instead
    /// of walking every newer ticket that does not match (a flood of tickets unlike the rest).
    /// The page is exact when every ticket below the lowest id found is older than the oldest
    /// found; `CreationOrder` proves that or finds the few newer ones. Nil (use the single
    /// statement) when `budget` tickets of the condition were read without filling the page, or
    /// the tickets below cannot be settled cheaply.
    private func searchByIDWalk(
        _ sql: TicketSearchSQL, _ condition: TicketSearchSQL.WalkedCondition, budget: Int
    ) async throws -> [Int]? {
        let offset = sql.pageOffset
        let wanted = offset + sql.pageSize
        guard wanted <= budget else { return nil }
        // PostgreSQL's title walk needs migration 15's index, which an installation without
        // btree_gist or pg_trgm lacks: there the walk would read and sort every ticket.
        if !sql.walkIsBudgeted(condition), try await !facts.hasIndex(Schema015.indexName, in: db) { return nil }
        var found = try await db.search(sql.idWalk(condition, budget: budget, limit: wanted)).all().map {
            CreationOrder.Found(id: try $0.decode(column: "id", as: Int.self), created: try $0.decode(column: "created_at", as: Int64.self))
        }
        if found.count < wanted {
            // Less than a page: every match when the walk read all of the condition's tickets
            // (an unbudgeted walk always does).
            if sql.walkIsBudgeted(condition) {
                let read = try await db.search(sql.walkedCount(condition, budget: budget)).first()?.decode(column: "n", as: Int.self) ?? 0
                guard read < budget else { return nil }
            }
        } else if let lowest = found.last?.id, let oldest = found.map(\.created).min() {
            guard let newer = try await CreationOrder.newer(below: lowest, than: oldest, matching: sql.conditions(), in: db, kind: kind)
            else {
                return nil
            }
            found += newer
        }
        found.sort { ($0.created, $0.id) > ($1.created, $1.id) }
        return found.dropFirst(offset).prefix(sql.pageSize).map(\.id)
    }

    /// A page of a query sorted by one indexed column, from the first `budget` tickets of that
    /// index's order (after the matches without a value where those come first, when no more
    /// than `budget` tickets lack one). Nil when they hold too few matches for the page.
    private func searchBySortIndex(_ sql: TicketSearchSQL, _ sortIndex: TicketSearchSQL.SortIndex, budget: Int) async throws -> [Int]? {
        let wanted = sql.pageOffset + sql.pageSize
        guard wanted <= budget else { return nil }
        var unset: [Int] = []
        if sortIndex.unsetFirst {
            let count = try await db.search(sql.sortIndexUnsetCount(sortIndex, cap: budget + 1)).first()?.decode(column: "n", as: Int.self)
            guard let count, count <= budget else { return nil }
            unset = try await ids(sql.sortIndexUnset(sortIndex, limit: wanted))
        }
        guard unset.count < wanted else { return Array(unset.dropFirst(sql.pageOffset)) }
        var bound: (any Encodable & Sendable)? = nil
        if let row = try await db.search(sql.sortIndexBound(sortIndex, budget: budget)).first() {
            bound = sortIndex.isText ? try row.decode(column: "bound", as: String.self) : try row.decode(column: "bound", as: Int64.self)
        }
        let found = try await ids(sql.sortIndexWalk(sortIndex, bound: bound, limit: wanted - unset.count))
        guard found.count == wanted - unset.count else { return nil }
        return Array((unset + found).dropFirst(sql.pageOffset))
    }

    /// A page of a query sorted by a dynamic field with many matches: tickets with a value in
    /// index order, then (when the page reaches past them) those without one. Nil when the first
    /// `budget` values held too few matches for the page: the matches are then sorted instead.
    private func searchByValueWalk(_ sql: TicketSearchSQL, budget: Int?) async throws -> [Int]? {
        let offset = sql.pageOffset
        let valued = try await ids(sql.valueWalk(limit: offset + sql.pageSize, budget: budget))
        let page = Array(valued.dropFirst(offset))
        guard valued.count < offset + sql.pageSize else { return page }
        if let budget {
            // Short of the page: either every value was read (the rest have none) or the budget ran out.
            let read = try await db.search(sql.sortValueCount(budget: budget)).first()?.decode(column: "n", as: Int.self) ?? 0
            guard read < budget else { return nil }
        }
        let rest = try await ids(sql.withoutSortValue(limit: sql.pageSize - page.count, offset: max(0, offset - valued.count)))
        return page + rest
    }

    func ids(_ statement: SQLQueryString) async throws -> [Int] {
        try await db.search(statement).all().map { try $0.decode(column: "id", as: Int.self) }
    }

    func countTickets(_ query: TicketQuery, scope: SearchScope) async throws -> Int {
        var sql = TicketSearchSQL(query: query, scope: scope, kind: kind)
        if !sql.prefixes.isEmpty { sql.narrowsEveryPrefix = try await facts.ordersTextBytewise(db, kind: kind) }
        return try await db.search(sql.count()).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func queueStateCounts(queueIDs: [Int]?) async throws -> [QueueStateCount] {
        var sql: SQLQueryString = "SELECT queue_id, state_id, n FROM ticket_counts WHERE n > 0"
        if let queueIDs { sql += " AND queue_id IN (\(binds: queueIDs.map { $0 as any Encodable & Sendable }))" }
        sql += " ORDER BY queue_id, state_id"
        return try await db.raw(sql).all().map { row in
            QueueStateCount(
                queueID: try row.decode(column: "queue_id", as: Int.self), stateID: try row.decode(column: "state_id", as: Int.self),
                count: try row.decode(column: "n", as: Int.self))
        }
    }

    func timeAccountingReport(agentID: Int, from: Int64, to: Int64) async throws -> [TimeAccountingReportRow] {
        try await db.raw(
            """
            SELECT t.tn, t.title, t.customer_id, q.name AS queue_name, a.created_at, a.time_unit
            FROM time_accounting a JOIN tickets t ON t.id = a.ticket_id
            JOIN queues q ON q.id = COALESCE((
                SELECT e.queue_id FROM ticket_events e WHERE e.ticket_id = a.ticket_id AND e.created_at <= a.created_at
                ORDER BY e.created_at DESC, e.id DESC LIMIT 1), t.queue_id)
            WHERE a.created_by = \(bind: agentID) AND a.created_at >= \(bind: from) AND a.created_at <= \(bind: to)
            ORDER BY a.created_at, t.id, a.id
            """
        ).all().map { row in
            TimeAccountingReportRow(
                ticketNumber: try row.decode(column: "tn", as: String.self), ticketTitle: try row.decode(column: "title", as: String.self),
                customerID: try row.decode(column: "customer_id", as: String?.self),
                queueName: try row.decode(column: "queue_name", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self),
                timeUnit: try row.decode(column: "time_unit", as: Double.self))
        }
    }

    func session(id: String) async throws -> DeskSession? {
        guard
            let row = try await db.raw(
                """
                SELECT id, user_type, agent_id, login, created_at, last_request_at, source, remote_address, user_agent
                FROM sessions WHERE id = \(bind: id)
                """
            ).first()
        else { return nil }
        guard let type = DeskSession.UserType(rawValue: try row.decode(column: "user_type", as: String.self)) else { return nil }
        return DeskSession(
            id: try row.decode(column: "id", as: String.self), userType: type, agentID: try row.decode(column: "agent_id", as: Int?.self),
            login: try row.decode(column: "login", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
            lastRequestAt: try row.decode(column: "last_request_at", as: Int64.self),
            source: try row.decode(column: "source", as: String.self),
            remoteAddress: try row.decode(column: "remote_address", as: String.self),
            userAgent: try row.decode(column: "user_agent", as: String.self))
    }

    func insertSession(_ session: DeskSession) async throws {
        try await db.insertRows(
            "sessions",
            ["id", "user_type", "agent_id", "login", "created_at", "last_request_at", "source", "remote_address", "user_agent"],
            [
                [
                    session.id, session.userType.rawValue, session.agentID, session.login, session.createdAt, session.lastRequestAt,
                    session.source, String(session.remoteAddress.prefix(100)), String(session.userAgent.prefix(500)),
                ]
            ])
    }

    func touchSession(id: String, at time: Int64) async throws {
        try await db.raw("UPDATE sessions SET last_request_at = \(bind: time) WHERE id = \(bind: id)").run()
    }

    func deleteSession(id: String) async throws -> Bool {
        let rows = try await db.raw("DELETE FROM sessions WHERE id = \(bind: id) RETURNING id").all()
        return !rows.isEmpty
    }

    func deleteExpiredSessions(createdBefore: Int64, idleBefore: Int64) async throws {
        try await db.raw("DELETE FROM sessions WHERE created_at < \(bind: createdBefore) OR last_request_at < \(bind: idleBefore)").run()
    }

    func setOutOfOffice(agentID: Int, enabled: Bool, start: String?, end: String?) async throws {
        touchDirectory()
        try await db.raw(
            """
            UPDATE agents SET out_of_office = \(bind: enabled ? 1 : 0),
                out_of_office_start = COALESCE(\(bind: start), out_of_office_start),
                out_of_office_end = COALESCE(\(bind: end), out_of_office_end) WHERE id = \(bind: agentID)
            """
        ).run()
    }
}
