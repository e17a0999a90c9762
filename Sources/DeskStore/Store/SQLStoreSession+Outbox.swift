import DeskCore
import SQLKit

/// The outbox of outgoing mail (Schema009).
extension SQLStoreSession {
    static let outboxColumns = """
        id, article_id, ticket_id, notification, recipient_id, actor_id, security, status, attempts, next_attempt_at, last_answer,
        created_at, sent_at
        """

    /// Held on PostgreSQL (`insertLater`): no one reads the new rows' ids.
    func enqueueMail(_ articles: [(articleID: Int, security: MailSecurity?)], ticketID: Int, at time: Int64) async throws {
        try await insertLater(
            "mail_outbox", ["article_id", "ticket_id", "security", "next_attempt_at", "created_at"],
            articles.map { articleID, security -> [Bindable] in
                [articleID, ticketID, security.map { JSONText.encode($0) } ?? "", time, time]
            })
    }

    func putCryptoKey(_ key: CryptoKey) async throws -> Int {
        let emails = key.emails.joined(separator: ",")
        if let row = try await db.raw(
            "SELECT id FROM crypto_keys WHERE kind = \(bind: key.kind.rawValue) AND fingerprint = \(bind: key.fingerprint)"
        ).first() {
            let id = try row.decode(column: "id", as: Int.self)
            // A later import may add the secret part; it never removes one.
            try await db.raw(
                """
                UPDATE crypto_keys SET key_id = \(bind: key.keyID), emails = \(bind: emails), expires_at = \(bind: key.expiresAt),
                    public_data = \(bind: key.publicData),
                    private_data = CASE WHEN \(bind: key.privateData) = '' THEN private_data ELSE \(bind: key.privateData) END
                WHERE id = \(bind: id)
                """
            ).run()
            return id
        }
        return try await db.insertRows(
            "crypto_keys", ["kind", "key_id", "fingerprint", "emails", "expires_at", "public_data", "private_data", "created_at"],
            [[key.kind.rawValue, key.keyID, key.fingerprint, emails, key.expiresAt, key.publicData, key.privateData, key.createdAt]],
            returningID: true)[0]
    }

    func cryptoKeys(kind: CryptoKind?) async throws -> [CryptoKey] {
        var sql: SQLQueryString = """
            SELECT id, kind, key_id, fingerprint, emails, expires_at, public_data, private_data, created_at FROM crypto_keys
            """
        if let kind { sql += " WHERE kind = \(bind: kind.rawValue)" }
        sql += " ORDER BY id"
        return try await db.raw(sql).all().map { row in
            CryptoKey(
                id: try row.decode(column: "id", as: Int.self),
                kind: CryptoKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .pgp,
                keyID: try row.decode(column: "key_id", as: String.self),
                fingerprint: try row.decode(column: "fingerprint", as: String.self),
                emails: try row.decode(column: "emails", as: String.self).split(separator: ",").map(String.init),
                expiresAt: try row.decode(column: "expires_at", as: Int64.self),
                publicData: try row.decode(column: "public_data", as: String.self),
                privateData: try row.decode(column: "private_data", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self))
        }
    }

    /// Held on PostgreSQL (`insertLater`), as `enqueueMail`.
    func enqueueNotifications(_ notifications: [OutboxNotification], at time: Int64) async throws {
        try await insertLater(
            "mail_outbox", ["article_id", "ticket_id", "notification", "recipient_id", "actor_id", "next_attempt_at", "created_at"],
            notifications.map { entry -> [Bindable] in
                [entry.articleID ?? 0, entry.ticketID, entry.notification.templateName, entry.recipientID, entry.actorID, time, time]
            })
    }

    /// The ids of up to `limit` messages a sender may claim at `now`, oldest first. An earlier
    /// queued message of the same ticket that is being sent (claimed) or due now (it goes first)
    /// holds a message back; one waiting for a retry does not. So a due message is claimable when
    /// it is the first of its ticket's queued messages that are claimed or due.
    ///
    /// That check is a subquery, run for each due message with its ticket, so that it reads a
    /// few rows of `mail_outbox_queued` (Schema014; a `NOT EXISTS` join may be planned as a pass
    /// over every queued message for each due one). SQLite is told the index (it preferred the
    /// one of all the ticket's messages). On PostgreSQL it is the cheapest by construction, as
    /// long as the plan is made for the table as it is: the statement is planned each time
    /// (`search`), as a prepared statement's generic plan, made while the outbox was empty,
    /// read the whole queue for each due message (35 ms a claim with 460 queued).
    static func claimableMail(now: Int64, limit: Int, kind: DatabaseKind) -> SQLQueryString {
        let queued = kind == .sqlite ? "mail_outbox e INDEXED BY mail_outbox_queued" : "mail_outbox e"
        return """
            SELECT o.id FROM mail_outbox o
            WHERE o.status = 'queued' AND o.next_attempt_at <= \(bind: now) AND o.claimed_until <= \(bind: now)
              AND o.id = (SELECT e.id FROM \(unsafeRaw: queued) WHERE e.status = 'queued' AND e.ticket_id = o.ticket_id
                AND e.id <= o.id AND (e.claimed_until > \(bind: now) OR e.next_attempt_at <= \(bind: now)) ORDER BY e.id LIMIT 1)
            ORDER BY o.id LIMIT \(bind: limit)
            """
    }

    func claimableMail(limit: Int, at now: Int64) async throws -> [Int] {
        try await db.search(Self.claimableMail(now: now, limit: limit, kind: kind)).all().map {
            try $0.decode(column: "id", as: Int.self)
        }
    }

    func claimMail(ids due: [Int], claim: String, now: Int64, leaseSeconds: Int64) async throws -> [OutboxEntry] {
        guard !due.isEmpty else { return [] }
        // The ids were chosen on a reader; the UPDATE checks them again, so a message another
        // sender claimed, or one sent or put off since, is left out (on PostgreSQL READ
        // COMMITTED re-reads a row a concurrent claim locked once that claim commits).
        try await db.raw(
            """
            UPDATE mail_outbox SET claim = \(bind: claim), claimed_until = \(bind: now + leaseSeconds)
            WHERE id IN (\(binds: due.map { $0 as Bindable })) AND status = 'queued' AND next_attempt_at <= \(bind: now)
              AND claimed_until <= \(bind: now)
            """
        ).run()
        return try await db.raw(
            """
            SELECT \(unsafeRaw: Self.outboxColumns) FROM mail_outbox
            WHERE id IN (\(binds: due.map { $0 as Bindable })) AND claim = \(bind: claim) AND status = 'queued' ORDER BY id
            """
        ).all().map(Self.outboxEntry)
    }

    func finishMail(
        id: Int, claim: String, status: OutboxStatus, attempts: Int, nextAttemptAt: Int64, answer: String, sentAt: Int64?
    ) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE mail_outbox SET status = \(bind: status.rawValue), attempts = \(bind: attempts),
                next_attempt_at = \(bind: nextAttemptAt), last_answer = \(bind: answer), sent_at = \(bind: sentAt),
                claim = '', claimed_until = 0
            WHERE id = \(bind: id) AND claim = \(bind: claim) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    func releaseMail(ids: [Int], claim: String) async throws {
        guard !ids.isEmpty else { return }
        try await db.raw(
            """
            UPDATE mail_outbox SET claim = '', claimed_until = 0
            WHERE id IN (\(binds: ids.map { $0 as Bindable })) AND claim = \(bind: claim) AND status = 'queued'
            """
        ).run()
    }

    func requeueMail(id: Int, at time: Int64) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE mail_outbox SET status = 'queued', next_attempt_at = \(bind: time), claim = '', claimed_until = 0
            WHERE id = \(bind: id) AND status = 'failed' RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// One statement per status, each reading its newest rows through an index (`status` is
    /// written as a literal so that the partial indexes of Schema014 apply).
    func outbox(statuses: [OutboxStatus], limit: Int) async throws -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        for status in Set(statuses) {
            entries += try await db.raw(
                """
                SELECT \(unsafeRaw: Self.outboxColumns) FROM mail_outbox
                WHERE status = '\(unsafeRaw: status.rawValue)' ORDER BY id DESC LIMIT \(bind: limit)
                """
            ).all().map(Self.outboxEntry)
        }
        return Array(entries.sorted { $0.id > $1.id }.prefix(limit))
    }

    static func outboxEntry(_ row: any SQLRow) throws -> OutboxEntry {
        OutboxEntry(
            id: try row.decode(column: "id", as: Int.self), articleID: try row.decode(column: "article_id", as: Int.self),
            ticketID: try row.decode(column: "ticket_id", as: Int.self),
            notification: AgentNotification(templateName: try row.decode(column: "notification", as: String.self)),
            recipientID: try row.decode(column: "recipient_id", as: Int.self), actorID: try row.decode(column: "actor_id", as: Int.self),
            security: JSONText.decode(MailSecurity.self, try row.decode(column: "security", as: String.self)),
            status: OutboxStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: Int64.self),
            lastAnswer: try row.decode(column: "last_answer", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self), sentAt: try row.decode(column: "sent_at", as: Int64?.self))
    }
}

/// Auto responses (Schema009).
extension SQLStoreSession {
    func autoResponses() async throws -> [AutoResponse] {
        try await db.raw("SELECT id, name, type_id, subject, body FROM auto_responses ORDER BY id").all().map(Self.autoResponse)
    }

    func autoResponse(queueID: Int, typeID: Int) async throws -> AutoResponse? {
        try await db.raw(
            """
            SELECT r.id, r.name, r.type_id, r.subject, r.body FROM queue_auto_responses q
            JOIN auto_responses r ON r.id = q.auto_response_id WHERE q.queue_id = \(bind: queueID) AND q.type_id = \(bind: typeID)
            """
        ).first().map(Self.autoResponse)
    }

    func insertAutoResponse(_ response: AutoResponse, at time: Int64) async throws -> Int {
        touchCatalog()
        return try await db.insertRows(
            "auto_responses", ["name", "type_id", "subject", "body", "created_at"],
            [[response.name, response.typeID, response.subject, response.text, time]], returningID: true)[0]
    }

    func setQueueAutoResponse(queueID: Int, typeID: Int, autoResponseID: Int?) async throws {
        touchCatalog()
        try await db.raw("DELETE FROM queue_auto_responses WHERE queue_id = \(bind: queueID) AND type_id = \(bind: typeID)").run()
        if let autoResponseID {
            try await db.raw(
                """
                INSERT INTO queue_auto_responses (queue_id, type_id, auto_response_id)
                VALUES (\(bind: queueID), \(bind: typeID), \(bind: autoResponseID))
                """
            ).run()
        }
    }

    static func autoResponse(_ row: any SQLRow) throws -> AutoResponse {
        AutoResponse(
            id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
            typeID: try row.decode(column: "type_id", as: Int.self), subject: try row.decode(column: "subject", as: String.self),
            text: try row.decode(column: "body", as: String.self))
    }
}
