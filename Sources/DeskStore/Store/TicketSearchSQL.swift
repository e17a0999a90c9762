import DeskCore
import SQLKit

/// Builds the one SELECT a `TicketQuery` becomes. Joins are added only when a filter or a sort
/// key needs them. Text filters compare `LOWER(column) LIKE LOWER(pattern)` on both databases.
struct TicketSearchSQL {
    let query: TicketQuery
    let scope: SearchScope

    func statement() -> SQLQueryString {
        var joins: [SQLQueryString] = []
        var conditions: [SQLQueryString] = []

        func like(_ column: String, _ patterns: [String]) {
            guard !patterns.isEmpty else { return }
            let parts = patterns.map { pattern -> SQLQueryString in "LOWER(t.\(unsafeRaw: column)) LIKE LOWER(\(bind: pattern))" }
            conditions.append("(" + parts.joined(separator: " OR ") + ")")
        }
        func equalAny(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            conditions.append("t.\(unsafeRaw: column) IN (\(binds: values.map { $0 as any Encodable & Sendable }))")
        }
        func inList(_ column: String, _ ids: [Int]) {
            guard !ids.isEmpty else { return }
            conditions.append("\(unsafeRaw: column) IN (\(binds: ids.map { $0 as any Encodable & Sendable }))")
        }
        func range(_ column: String, _ from: Int64?, _ to: Int64?) {
            if let from { conditions.append("\(unsafeRaw: column) >= \(bind: from)") }
            if let to { conditions.append("\(unsafeRaw: column) <= \(bind: to)") }
        }

        switch scope {
        case .unrestricted:
            break
        case .agent(let id, let groupIDs):
            var parts: [SQLQueryString] = ["t.owner_id = \(bind: id)", "t.responsible_id = \(bind: id)"]
            if !groupIDs.isEmpty {
                parts.append("t.queue_id IN (SELECT q.id FROM queues q WHERE q.group_id IN (\(binds: groupIDs.map { $0 as any Encodable & Sendable })))")
            }
            conditions.append("(" + parts.joined(separator: " OR ") + ")")
        case .customer(let login, let customerIDs):
            var parts: [SQLQueryString] = ["t.customer_user_id = \(bind: login)"]
            if !customerIDs.isEmpty {
                parts.append("t.customer_id IN (\(binds: customerIDs.map { $0 as any Encodable & Sendable }))")
            }
            conditions.append("(" + parts.joined(separator: " OR ") + ")")
        }

        like("tn", query.ticketNumbers)
        like("title", query.titles)
        if query.customerIDsRaw.isEmpty { like("customer_id", query.customerIDs) } else { equalAny("customer_id", query.customerIDsRaw) }
        like("customer_user_id", query.customerUserLogins)
        inList("t.id", query.ticketIDs)
        inList("t.state_id", query.stateIDs)
        if !query.stateTypeIDs.isEmpty {
            conditions.append("t.state_id IN (SELECT s.id FROM ticket_states s WHERE s.type_id IN (\(binds: query.stateTypeIDs.map { $0 as any Encodable & Sendable })))")
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
            conditions.append("t.id IN (SELECT w.ticket_id FROM ticket_watchers w WHERE w.agent_id IN (\(binds: query.watcherIDs.map { $0 as any Encodable & Sendable })))")
        }
        range("t.created_at", query.createdFrom, query.createdTo)
        range("t.changed_at", query.changedFrom, query.changedTo)
        if query.pendingFrom != nil || query.pendingTo != nil {
            conditions.append("t.until_time > 0")
            range("t.until_time", query.pendingFrom, query.pendingTo)
        }
        switch query.archive {
        case .all: break
        case .archived: conditions.append("t.archive_flag = 1")
        case .notArchived: conditions.append("t.archive_flag = 0")
        }

        var order: [SQLQueryString] = []
        var joined = Set<String>()
        func join(_ name: String, _ clause: SQLQueryString) {
            if joined.insert(name).inserted { joins.append(clause) }
        }
        for (key, ascending) in query.sort {
            let direction = ascending ? "ASC" : "DESC"
            let expression: String
            switch key {
            case .age: expression = "t.created_at \(direction)"
            case .created: expression = "t.created_at \(direction)"
            case .changed: expression = "t.changed_at \(direction)"
            case .ticketID: expression = "t.id \(direction)"
            case .ticketNumber: expression = "t.tn \(direction)"
            case .title: expression = "t.title \(direction)"
            case .queue:
                join("q", "LEFT JOIN queues sq ON sq.id = t.queue_id")
                expression = "sq.name \(direction)"
            case .state:
                join("s", "LEFT JOIN ticket_states ss ON ss.id = t.state_id")
                expression = "ss.name \(direction)"
            case .lock: expression = "t.lock_id \(direction)"
            case .type:
                join("ty", "LEFT JOIN ticket_types sty ON sty.id = t.type_id")
                expression = "sty.name \(direction)"
            case .priority: expression = "t.priority_id \(direction)"
            case .owner:
                join("o", "LEFT JOIN agents so ON so.id = t.owner_id")
                expression = "so.first_name \(direction), so.last_name \(direction)"
            case .responsible:
                join("r", "LEFT JOIN agents sr ON sr.id = t.responsible_id")
                expression = "sr.first_name \(direction), sr.last_name \(direction)"
            case .customerID: expression = "t.customer_id \(direction)"
            case .service:
                join("sv", "LEFT JOIN services ssv ON ssv.id = t.service_id")
                expression = "ssv.name \(direction)"
            case .sla:
                join("sl", "LEFT JOIN slas ssl ON ssl.id = t.sla_id")
                expression = "ssl.name \(direction)"
            case .pendingTime: expression = "t.until_time \(direction)"
            case .escalationTime: expression = Self.zeroLast("t.escalation_time", direction)
            case .escalationUpdateTime: expression = Self.zeroLast("t.escalation_update_time", direction)
            case .escalationResponseTime: expression = Self.zeroLast("t.escalation_response_time", direction)
            case .escalationSolutionTime: expression = Self.zeroLast("t.escalation_solution_time", direction)
            }
            order.append("\(unsafeRaw: expression)")
        }
        if order.isEmpty { order.append("t.created_at DESC") }
        order.append("t.id DESC")

        var sql: SQLQueryString = "SELECT t.id FROM tickets t"
        for clause in joins { sql += " " + clause }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(literal: max(1, min(query.limit, TicketQuery.maxLimit)))"
        return sql
    }

    /// Escalation sorts put tickets without escalation (0) last, as Znuny does.
    static func zeroLast(_ column: String, _ direction: String) -> String {
        "CASE WHEN \(column) = 0 THEN 1 ELSE 0 END, \(column) \(direction)"
    }
}
