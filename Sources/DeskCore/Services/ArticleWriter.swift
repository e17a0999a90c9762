/// Writes prepared articles with their attachments, dynamic field values and time accounting,
/// one multi-row statement per table whatever the number of articles, and returns the events
/// they make (the caller records them with its own, in one statement).
struct ArticleWriter {
    let tx: any StoreWriter
    let catalog: Catalog
    let now: Int64
    let actingUserID: Int

    struct Written {
        var ids: [Int]
        var events: [NewTicketEvent]
        var faceIDs: [ExternalID] = []
        /// The new unlock timeout when an agent's article restarted it.
        var unlockTimeout: Int64?
        /// The auto replies written after the articles (`autoReply`), with their ids.
        var autoReplies: [Article] = []
    }

    /// Inserts `articles` for `ticket`; `previousTimeTotal` is the ticket's accounted time so
    /// far, `ids` the articles' reserved ids (`StoreWriter.reserveTicket`) if any. Events come
    /// per article in Znuny's order: the article, the unlock timer's reset, the auto reply, the
    /// accounted time (also in TicketCreate, before its owner and responsible rows).
    /// `previousSender` is the sender type of the ticket's latest article that is not the
    /// system's: a customer's article after an agent's restarts the unlock timer too (MIMEBase
    /// `ArticleCreate`).
    func write(
        _ articles: [PreparedArticle], for ticket: Ticket, previousTimeTotal: Double, ids reserved: [Int]? = nil,
        previousSender: Int? = nil
    ) async throws -> Written {
        guard !articles.isEmpty else { return Written(ids: [], events: [], faceIDs: [], unlockTimeout: nil) }
        let articles = try await storedAsSent(articles, ticket: ticket)
        let agentSender = catalog.senderTypes["agent"]?.id
        let customerSender = catalog.senderTypes["customer"]?.id
        let systemSender = catalog.senderTypes["system"]?.id
        var unlockTimeout = ticket.unlockTimeout
        var timeoutChanged = false
        var lastSender = previousSender
        let ids = try await tx.insertArticles(articles.map(\.row), ids: reserved)
        var attachments: [NewAttachment] = []
        var values: [DynamicFieldValue] = []
        var accounting: [NewTimeAccounting] = []
        var articleEvents: [[NewTicketEvent]] = []
        var accountingEvents: [NewTicketEvent?] = []
        var total = previousTimeTotal
        for (article, id) in zip(articles, ids) {
            var own = [event(.articleAdded, ticket, articleID: id, label: article.label, note: article.note)]
            let sender = article.row.senderTypeID
            let restarts = sender == agentSender || (sender == customerSender && lastSender != nil && lastSender == agentSender)
            if restarts && unlockTimeout != now {
                unlockTimeout = now
                timeoutChanged = true
                own.append(event(.unlockTimeoutReset, ticket))
            }
            if sender != systemSender { lastSender = sender }
            articleEvents.append(own)
            for file in article.attachments {
                attachments.append(
                    NewAttachment(
                        articleID: id, filename: file.filename, contentType: file.contentType,
                        contentID: file.contentID, disposition: file.disposition, content: file.content))
            }
            for (field, fieldValues) in article.dynamicFields where !fieldValues.isEmpty {
                values.append(DynamicFieldValue(fieldID: field.id, objectID: id, values: fieldValues))
            }
            if let unit = article.timeUnit, unit > 0 {
                accounting.append(
                    NewTimeAccounting(ticketID: ticket.id, articleID: id, timeUnit: unit, createdAt: now, createdBy: actingUserID))
                total += unit
                accountingEvents.append(event(.timeAccounted(unit: unit, total: total), ticket, articleID: id))
            } else {
                accountingEvents.append(nil)
            }
        }
        if !attachments.isEmpty { try await tx.insertAttachments(attachments) }
        if !values.isEmpty { try await tx.insertDynamicFieldValues(values) }
        if !accounting.isEmpty { try await tx.insertTimeAccounting(accounting) }
        let outgoing = zip(articles, ids).filter { $0.0.send }.map { (articleID: $0.1, security: $0.0.security) }
        if !outgoing.isEmpty { try await tx.enqueueMail(outgoing, ticketID: ticket.id, at: now) }
        var autoReplies: [Article] = []
        var events: [NewTicketEvent] = []
        for (index, article) in articles.enumerated() {
            events += articleEvents[index]
            if article.autoResponseTypeID != nil {
                let outcome = try await autoReply(to: article, ticket: ticket)
                events += outcome.withheld.map { event(.recorded, ticket, label: "Misc", note: $0) }
                if let reply = outcome.reply {
                    let replyID = try await tx.insertArticles([reply])[0]
                    var stored = reply
                    stored.id = replyID
                    autoReplies.append(stored)
                    try await tx.enqueueMail([(articleID: replyID, security: nil)], ticketID: ticket.id, at: now)
                    let label = Self.historyType(
                        ofAutoResponse: article.autoResponseTypeID.flatMap { catalog.autoResponseTypes[$0]?.name } ?? "")
                    events.append(event(.articleAdded, ticket, articleID: replyID, actorID: 1, label: label, note: "%%\(reply.to)"))
                }
            }
            if let accounted = accountingEvents[index] { events.append(accounted) }
        }
        var faceIDs: [ExternalID] = []
        for (article, id) in zip(articles, ids) {
            if let allocation = article.faceID { faceIDs.append(try await Self.allocate(allocation, for: id, in: tx)) }
            if let attributes = article.faceAttributes {
                try await tx.setFaceAttributes(face: attributes.face, kind: .article, objectID: id, attributes.values)
            }
        }
        return Written(
            ids: ids, events: events, faceIDs: faceIDs, unlockTimeout: timeoutChanged ? unlockTimeout : nil, autoReplies: autoReplies)
    }

    /// An event with the ticket's current attributes as its snapshot.
    func event(
        _ change: TicketChange, _ ticket: Ticket, articleID: Int? = nil, actorID: Int? = nil, label: String? = nil, note: String? = nil
    ) -> NewTicketEvent {
        NewTicketEvent(
            ticketID: ticket.id, articleID: articleID, change: change, snapshot: TicketSnapshot(ticket), actorID: actorID ?? actingUserID,
            createdAt: now, label: label, note: note)
    }

    /// The next id of the face's sequence for `coreID`, recorded as its external id.
    static func allocate(_ allocation: FaceIDAllocation, for coreID: Int, in tx: any StoreWriter) async throws -> ExternalID {
        let value = try await tx.nextCounter(key: allocation.counterKey)
        let mapping = ExternalID(face: allocation.face, kind: allocation.kind, externalID: String(value), coreID: String(coreID))
        try await tx.setExternalID(mapping)
        return mapping
    }
}
