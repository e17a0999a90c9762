import DeskCore
import Foundation
import SQLKit

extension SQLStoreSession {
    func nextCounter(key: String) async throws -> Int {
        if let holding { return try await takeCounter(key: key, in: holding) }
        let row = try await db.raw(counterUpsert(key: key)).first()
        guard let row else { throw DatabaseError.unexpected("counter upsert returned no row") }
        return try row.decode(column: "counter_value", as: Int.self)
    }

    /// A PostgreSQL write's counter value. The first one a transaction takes comes from the
    /// upsert, which locks the counter's row until the transaction ends; so the next ones can be
    /// counted on here, without a round trip, and the last is written back with the held inserts
    /// (one update, replaced each time). `HoldingDatabase` forgets the count whenever what it
    /// holds is settled or discarded, so a rollback never leaves it ahead of the table.
    private func takeCounter(key: String, in holding: HoldingDatabase) async throws -> Int {
        guard let last = holding.transactionValues[key] else {
            let row = try await db.independentOfHeldInserts(counterUpsert(key: key)).first()
            guard let row else { throw DatabaseError.unexpected("counter upsert returned no row") }
            let value = try row.decode(column: "counter_value", as: Int.self)
            holding.transactionValues[key] = value
            return value
        }
        let value = last + 1
        holding.transactionValues[key] = value
        try await holding.hold(
            "UPDATE counters SET counter_value = \(bind: value) WHERE counter_key = \(bind: key)", into: "counter \(key)", binds: 2,
            replacing: true)
        return value
    }

    /// Ids from `table`'s sequence for a PostgreSQL write, from the writer's blocks taken ahead
    /// (`PrefetchedIDs`).
    private func takeIDs(of table: String, count: Int, in holding: HoldingDatabase) async throws -> [Int] {
        guard count > 0 else { return [] }
        if let ids = holding.prefetched.take(table, count: count) { return ids }
        let drawn = try await db.independentOfHeldInserts(
            """
            SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id
            FROM generate_series(1, \(bind: max(count, PrefetchedIDs.block)))
            """
        ).all().map { try $0.decode(column: "id", as: Int.self) }
        holding.prefetched.add(table, drawn)
        guard let ids = holding.prefetched.take(table, count: count) else {
            throw DatabaseError.unexpected("drew too few ids from the \(table) sequence")
        }
        return ids
    }

    /// Adds one to the counter (first value 1), returning `counter_value`. On PostgreSQL it first
    /// takes `CreationOrder.insertLock` (see there), so that every writer takes that lock before
    /// any counter row and two of them cannot wait for each other.
    private func counterUpsert(key: String) -> SQLQueryString {
        let source: SQLQueryString =
            switch kind {
            case .sqlite: "VALUES (\(bind: key), 1)"
            case .postgres:
                "SELECT \(bind: key), 1 FROM (\(unsafeRaw: CreationOrder.takeInsertLock)) AS creation_order"
            }
        return """
            INSERT INTO counters (counter_key, counter_value) \(source)
            ON CONFLICT (counter_key) DO UPDATE SET counter_value = counters.counter_value + 1
            RETURNING counter_value
            """
    }

    /// A PostgreSQL write takes the counter and the ids first, mostly without a round trip
    /// (`takeCounter`, `takeIDs`), so that the ticket, its articles and its events can then be
    /// held and sent together (`HoldingDatabase`). Elsewhere (SQLite) the ids come from the insert.
    func reserveTicket(counterKey: String, articles: Int) async throws -> TicketReservation {
        guard let holding else {
            return TicketReservation(counter: try await nextCounter(key: counterKey), ticketID: nil, articleIDs: nil)
        }
        return TicketReservation(
            counter: try await takeCounter(key: counterKey, in: holding),
            ticketID: try await takeIDs(of: "tickets", count: 1, in: holding)[0],
            articleIDs: try await takeIDs(of: "articles", count: articles, in: holding))
    }

    /// Inserts rows whose ids the caller has or does not need: held on PostgreSQL until the
    /// transaction's next statement or its end, and not waited for (`HoldingDatabase`); at once
    /// on SQLite. With `onConflict`, rows whose key is taken are skipped or update the row. Many
    /// rows go in several statements of at most `HoldingDatabase.maxBinds` values each (SQLite
    /// takes 32,766 per statement, PostgreSQL 65,535).
    func insertLater(_ table: String, _ columns: [String], _ rows: [[Bindable]], onConflict: OnConflict? = nil) async throws {
        let perStatement = max(1, HoldingDatabase.maxBinds / max(1, columns.count))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let part = Array(rows[start..<min(rows.count, start + perStatement)])
            if let holding {
                try await holding.hold(rows: part, into: table, columns: columns, onConflict: onConflict)
            } else {
                try await db.query(InsertRows(table, columns, part, onConflict: onConflict)).run()
            }
        }
    }

    func raiseCounter(key: String, atLeast value: Int) async throws {
        // The statement below moves the counter past a count kept for it.
        holding?.transactionValues[key] = nil
        if kind == .postgres {
            try await db.raw(SQLQueryString(CreationOrder.takeInsertLock)).run()
        }
        try await db.raw(
            """
            INSERT INTO counters (counter_key, counter_value) VALUES (\(bind: key), \(bind: value))
            ON CONFLICT (counter_key) DO UPDATE SET counter_value = CASE
                WHEN counters.counter_value < excluded.counter_value THEN excluded.counter_value ELSE counters.counter_value END
            """
        ).run()
    }

    /// No insert lock on PostgreSQL (unlike `raiseCounter`): the counters set this way are
    /// positions no ticket-creating transaction touches, so no lock order is at stake.
    func setCounter(key: String, to value: Int) async throws {
        holding?.transactionValues[key] = nil
        try await db.raw(
            """
            INSERT INTO counters (counter_key, counter_value) VALUES (\(bind: key), \(bind: value))
            ON CONFLICT (counter_key) DO UPDATE SET counter_value = excluded.counter_value
            """
        ).run()
    }

    func updateArticle(id: Int, subject: String?, body: String?, isVisibleForCustomer: Bool?, at time: Int64, by userID: Int) async throws {
        var assignments: [SQLQueryString] = ["changed_at = \(bind: time)", "changed_by = \(bind: userID)"]
        if let subject { assignments.append("subject = \(bind: subject)") }
        if let body { assignments.append("body = \(bind: body)") }
        if let isVisibleForCustomer { assignments.append("is_visible_for_customer = \(bind: isVisibleForCustomer ? 1 : 0)") }
        try await db.raw("UPDATE articles SET \(assignments.joined(separator: ", ")) WHERE id = \(bind: id)").run()
    }

    func deleteArticle(id: Int) async throws {
        for statement: SQLQueryString in [
            "DELETE FROM attachments WHERE article_id = \(bind: id)",
            "DELETE FROM mail_outbox WHERE article_id = \(bind: id)",
            "DELETE FROM face_attributes WHERE object_kind = 'article' AND object_id = \(bind: id)",
            """
            DELETE FROM dynamic_field_values WHERE object_id = \(bind: id)
            AND field_id IN (SELECT id FROM dynamic_fields WHERE object_type = 'Article')
            """,
            "DELETE FROM time_accounting WHERE article_id = \(bind: id)",
            "UPDATE ticket_events SET article_id = NULL WHERE article_id = \(bind: id)",
            "DELETE FROM articles WHERE id = \(bind: id)",
        ] {
            try await db.raw(statement).run()
        }
    }

    func deleteAttachment(id: Int) async throws {
        try await db.raw("DELETE FROM attachments WHERE id = \(bind: id)").run()
    }

    func moveArticles(fromTicket source: Int, toTicket target: Int) async throws {
        try await db.raw("UPDATE articles SET ticket_id = \(bind: target) WHERE ticket_id = \(bind: source)").run()
        try await db.raw("UPDATE time_accounting SET ticket_id = \(bind: target) WHERE ticket_id = \(bind: source)").run()
        try await db.raw("UPDATE mail_outbox SET ticket_id = \(bind: target) WHERE ticket_id = \(bind: source)").run()
    }

    func deleteTicket(id: Int) async throws {
        let articleIDs = try await db.raw("SELECT id FROM articles WHERE ticket_id = \(bind: id)").all().map {
            try $0.decode(column: "id", as: Int.self)
        }
        if !articleIDs.isEmpty {
            let ids = articleIDs.map { $0 as Bindable }
            try await db.raw("DELETE FROM attachments WHERE article_id IN (\(binds: ids))").run()
            try await db.raw("DELETE FROM face_attributes WHERE object_kind = 'article' AND object_id IN (\(binds: ids))").run()
            try await db.raw(
                """
                DELETE FROM dynamic_field_values WHERE object_id IN (\(binds: ids))
                AND field_id IN (SELECT id FROM dynamic_fields WHERE object_type = 'Article')
                """
            ).run()
        }
        try await db.raw(
            """
            DELETE FROM dynamic_field_values WHERE object_id = \(bind: id)
            AND field_id IN (SELECT id FROM dynamic_fields WHERE object_type = 'Ticket')
            """
        ).run()
        for statement: SQLQueryString in [
            "DELETE FROM face_attributes WHERE object_kind = 'ticket' AND object_id = \(bind: id)",
            "DELETE FROM time_accounting WHERE ticket_id = \(bind: id)",
            "DELETE FROM mail_outbox WHERE ticket_id = \(bind: id)",
            "DELETE FROM ticket_watchers WHERE ticket_id = \(bind: id)",
            "DELETE FROM ticket_links WHERE source_ticket_id = \(bind: id) OR target_ticket_id = \(bind: id)",
            "DELETE FROM ticket_events WHERE ticket_id = \(bind: id)",
            "DELETE FROM articles WHERE ticket_id = \(bind: id)",
            "DELETE FROM tickets WHERE id = \(bind: id)",
        ] {
            try await db.raw(statement).run()
        }
    }

    static let ticketInsertColumns = [
        "tn", "title", "queue_id", "type_id", "service_id", "sla_id", "state_id", "priority_id", "lock_id", "owner_id",
        "responsible_id", "customer_user_id", "customer_id", "until_time", "escalation_time", "escalation_response_time",
        "escalation_update_time", "escalation_solution_time", "unlock_timeout", "created_at", "created_by", "changed_at",
        "changed_by",
    ]

    func insertTicket(_ t: NewTicket, id: Int?) async throws -> Int {
        let values: [Bindable] = [
            t.number, t.title, t.queueID, t.typeID, t.serviceID, t.slaID, t.stateID, t.priorityID, t.lockID, t.ownerID,
            t.responsibleID, t.customerUserID, t.customerID, t.pendingUntil, t.escalation.escalation, t.escalation.response,
            t.escalation.update, t.escalation.solution, t.unlockTimeout, t.createdAt, t.createdBy, t.createdAt, t.createdBy,
        ]
        guard let id else { return try await db.insertRows("tickets", Self.ticketInsertColumns, [values], returningID: true)[0] }
        try await insertLater("tickets", ["id"] + Self.ticketInsertColumns, [[id] + values])
        return id
    }

    static let articleInsertColumns = [
        "ticket_id", "sender_type_id", "channel_id", "is_visible_for_customer", "a_from", "a_to", "a_cc", "a_bcc",
        "a_reply_to", "subject", "body", "content_type", "charset", "mime_type", "message_id", "in_reply_to",
        "a_references", "incoming_time", "created_at", "created_by", "changed_at", "changed_by",
    ]

    func insertArticles(_ articles: [NewArticle], ids: [Int]?) async throws -> [Int] {
        if let ids {
            guard ids.count == articles.count else { throw DatabaseError.unexpected("\(ids.count) ids for \(articles.count) articles") }
            try await insertLater(
                "articles", ["id"] + Self.articleInsertColumns, zip(ids, articles).map { [$0.0] + Self.articleValues($0.1) })
            return ids
        }
        // One row at a time keeps the id ↔ article pairing certain (RETURNING order is not
        // guaranteed for multi-row inserts); nearly every request carries a single article.
        var inserted: [Int] = []
        for article in articles {
            inserted += try await db.insertRows("articles", Self.articleInsertColumns, [Self.articleValues(article)], returningID: true)
        }
        return inserted
    }

    private static func articleValues(_ a: NewArticle) -> [Bindable] {
        [
            a.ticketID, a.senderTypeID, a.channelID, a.isVisibleForCustomer ? 1 : 0, a.from, a.to, a.cc, a.bcc,
            a.replyTo, a.subject, a.body, a.contentType, a.charset, a.mimeType, a.messageID, a.inReplyTo,
            a.references, a.incomingTime, a.createdAt, a.createdBy, a.changedAt, a.changedBy,
        ]
    }

    func insertAttachments(_ attachments: [NewAttachment]) async throws {
        try await insertLater(
            "attachments",
            [
                "article_id", "filename", "content_type", "content_id", "disposition", "content_size", "content",
            ],
            attachments.map {
                [$0.articleID, $0.filename, $0.contentType, $0.contentID, $0.disposition, $0.content.count, Data($0.content)]
            })
    }

    func insertAttachment(_ attachment: NewAttachment) async throws -> Int {
        try await db.insertRows(
            "attachments", ["article_id", "filename", "content_type", "content_id", "disposition", "content_size", "content"],
            [
                [
                    attachment.articleID, attachment.filename, attachment.contentType, attachment.contentID, attachment.disposition,
                    attachment.content.count, Data(attachment.content),
                ]
            ], returningID: true)[0]
    }

    func setDynamicFieldValues(_ values: [DynamicFieldValue]) async throws {
        guard !values.isEmpty else { return }
        for value in values {
            try await db.raw(
                "DELETE FROM dynamic_field_values WHERE field_id = \(bind: value.fieldID) AND object_id = \(bind: value.objectID)"
            ).run()
        }
        try await insertDynamicFieldValues(values)
    }

    func insertDynamicFieldValues(_ values: [DynamicFieldValue]) async throws {
        var rows: [[Bindable]] = []
        for value in values {
            for (position, text) in value.values.enumerated() {
                rows.append([value.fieldID, value.objectID, text, position])
            }
        }
        try await insertLater("dynamic_field_values", ["field_id", "object_id", "value_text", "position"], rows)
    }

    func insertTimeAccounting(_ entries: [NewTimeAccounting]) async throws {
        try await insertLater(
            "time_accounting", ["ticket_id", "article_id", "time_unit", "created_at", "created_by"],
            entries.map { [$0.ticketID, $0.articleID, $0.timeUnit, $0.createdAt, $0.createdBy] })
    }

    func updateTicket(id: Int, _ changes: TicketChanges, changedBy: Int, at time: Int64) async throws {
        var update = db.update("tickets")
            .set("changed_at", to: time)
            .set("changed_by", to: changedBy)
        if let value = changes.title { update = update.set("title", to: value) }
        if let value = changes.queueID { update = update.set("queue_id", to: value) }
        if let value = changes.typeID { update = update.set("type_id", to: value) }
        if let value = changes.serviceID { update = update.set("service_id", to: value) }
        if let value = changes.slaID { update = update.set("sla_id", to: value) }
        if let value = changes.stateID { update = update.set("state_id", to: value) }
        if let value = changes.priorityID { update = update.set("priority_id", to: value) }
        if let value = changes.lockID { update = update.set("lock_id", to: value) }
        if let value = changes.ownerID { update = update.set("owner_id", to: value) }
        if let value = changes.responsibleID { update = update.set("responsible_id", to: value) }
        if let value = changes.customerUserID { update = update.set("customer_user_id", to: value) }
        if let value = changes.customerID { update = update.set("customer_id", to: value) }
        if let value = changes.pendingUntil { update = update.set("until_time", to: value) }
        if let value = changes.archived { update = update.set("archive_flag", to: value ? 1 : 0) }
        if let value = changes.unlockTimeout { update = update.set("unlock_timeout", to: value) }
        if let value = changes.escalation {
            update = update.set("escalation_time", to: value.escalation)
                .set("escalation_response_time", to: value.response)
                .set("escalation_update_time", to: value.update)
                .set("escalation_solution_time", to: value.solution)
        }
        try await update.where("id", .equal, id).run()
    }

    func lockTickets(ids: [Int]) async throws {
        guard kind == .postgres, !ids.isEmpty else { return }
        _ = try await db.rows(forIDs: ids) { "SELECT id FROM tickets WHERE id IN (\($0)) ORDER BY id FOR UPDATE" }
    }

    /// One statement per 500 tickets: `UPDATE … FROM (VALUES …)`, whose columns SQLite and
    /// PostgreSQL both name `column1`….
    func setEscalationTimes(_ times: [(ticketID: Int, times: EscalationTimes)], changedBy: Int, at time: Int64) async throws {
        var start = 0
        while start < times.count {
            let group = times[start..<min(times.count, start + 500)]
            let rows = group.map { row -> SQLQueryString in
                let t = row.times
                return "(\(bind: row.ticketID), \(bind: t.escalation), \(bind: t.response), \(bind: t.update), \(bind: t.solution))"
            }
            try await db.raw(
                """
                UPDATE tickets SET escalation_time = v.column2, escalation_response_time = v.column3,
                    escalation_update_time = v.column4, escalation_solution_time = v.column5,
                    changed_at = \(bind: time), changed_by = \(bind: changedBy)
                FROM (VALUES \(rows.joined(separator: ", "))) AS v WHERE tickets.id = v.column1
                """
            ).run()
            start += group.count
        }
    }

    func addWatcher(ticketID: Int, agentID: Int, at time: Int64, by userID: Int) async throws {
        try await db.raw(
            """
            INSERT INTO ticket_watchers (ticket_id, agent_id, created_at, created_by)
            VALUES (\(bind: ticketID), \(bind: agentID), \(bind: time), \(bind: userID)) ON CONFLICT DO NOTHING
            """
        ).run()
    }

    func addLink(_ link: TicketLink, at time: Int64, by userID: Int) async throws {
        try await db.raw(
            """
            INSERT INTO ticket_links (source_ticket_id, target_ticket_id, link_type, link_state, created_at, created_by)
            VALUES (\(bind: link.sourceTicketID), \(bind: link.targetTicketID), \(bind: link.type), \(bind: link.state), \(bind: time), \(bind: userID))
            ON CONFLICT DO NOTHING
            """
        ).run()
    }
}
