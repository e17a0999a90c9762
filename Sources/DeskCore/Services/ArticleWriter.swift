/// Writes prepared articles with their attachments, dynamic field values, time accounting and
/// history: one multi-row statement per table, whatever the number of articles.
struct ArticleWriter {
    let tx: any StoreWriter
    let catalog: Catalog
    let now: Int64
    let actingUserID: Int

    /// Inserts `articles` for `ticket` and returns their ids plus the history rows to add
    /// (the caller batches them with its own). `previousTimeTotal` is the ticket's time so far.
    func write(
        _ articles: [PreparedArticle], for ticket: Ticket, previousTimeTotal: Double
    ) async throws -> (ids: [Int], history: [NewHistoryEntry], unlockTimeout: Int64?) {
        guard !articles.isEmpty else { return ([], [], nil) }
        let agentSender = catalog.senderTypes["agent"]?.id
        var unlockTimeout = ticket.unlockTimeout
        var timeoutChanged = false
        let ids = try await tx.insertArticles(articles.map(\.row))
        var attachments: [NewAttachment] = []
        var values: [DynamicFieldValue] = []
        var accounting: [NewTimeAccounting] = []
        var history: [NewHistoryEntry] = []
        var total = previousTimeTotal
        for (article, id) in zip(articles, ids) {
            history.append(entry(ticket, articleID: id, typeID: article.historyTypeID, name: article.historyName))
            // An agent's article restarts the unlock timeout, which Znuny records as "Reset of unlock time.".
            if article.row.senderTypeID == agentSender && unlockTimeout != now {
                unlockTimeout = now
                timeoutChanged = true
                history.append(entry(ticket, articleID: nil, typeID: catalog.historyTypeID("Misc"), name: "Reset of unlock time."))
            }
            for file in article.attachments {
                attachments.append(NewAttachment(
                    articleID: id, filename: file.filename, contentType: file.contentType,
                    contentID: file.contentID, disposition: file.disposition, content: file.content))
            }
            for (field, fieldValues) in article.dynamicFields where !fieldValues.isEmpty {
                values.append(DynamicFieldValue(fieldID: field.id, objectID: id, values: fieldValues))
            }
            if let unit = article.timeUnit, unit > 0 {
                accounting.append(NewTimeAccounting(ticketID: ticket.id, articleID: id, timeUnit: unit, createdAt: now, createdBy: actingUserID))
                total += unit
                history.append(entry(ticket, articleID: id, typeID: catalog.historyTypeID("TimeAccounting"),
                                     name: HistoryNames.timeAccounting(unit: unit, total: total)))
            }
        }
        if !attachments.isEmpty { try await tx.insertAttachments(attachments) }
        if !values.isEmpty { try await tx.insertDynamicFieldValues(values) }
        if !accounting.isEmpty { try await tx.insertTimeAccounting(accounting) }
        return (ids, history, timeoutChanged ? unlockTimeout : nil)
    }

    func entry(_ ticket: Ticket, articleID: Int?, typeID: Int, name: String) -> NewHistoryEntry {
        NewHistoryEntry(
            ticketID: ticket.id, articleID: articleID, typeID: typeID, name: name, queueID: ticket.queueID,
            ownerID: ticket.ownerID, priorityID: ticket.priorityID, stateID: ticket.stateID,
            ticketTypeID: ticket.typeID, createdAt: now, createdBy: actingUserID)
    }
}
