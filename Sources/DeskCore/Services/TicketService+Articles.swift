/// Articles and attachments on their own: paging through them, changing and removing them. The
/// APIs that expose follow-ups and attachment records directly (django-helpdesk's) use these;
/// Znuny's model never edits an article once written.
extension TicketService {
    /// One page of the articles of tickets in `queueIDs` the principal may read (oldest first),
    /// as (ticket, article) ids, with the number there are in all. Agents only.
    public func articlePage(queueIDs: [Int], offset: Int, limit: Int, by principal: Principal) async throws
        -> (total: Int, ids: [(ticket: Int, article: Int)])
    {
        try principal.require(.readTickets)
        let queues = try await readableQueues(queueIDs, by: principal)
        return try await store.read { try await $0.articlePage(queueIDs: queues, offset: offset, limit: min(limit, 1_000)) }
    }

    /// One page of the attachments of articles of tickets in `queueIDs` (by file name).
    public func attachmentPage(queueIDs: [Int], offset: Int, limit: Int, by principal: Principal) async throws
        -> (total: Int, ids: [(ticket: Int, article: Int, attachment: Int)])
    {
        try principal.require(.readTickets)
        let queues = try await readableQueues(queueIDs, by: principal)
        return try await store.read { try await $0.attachmentPage(queueIDs: queues, offset: offset, limit: min(limit, 1_000)) }
    }

    /// The queues among `queueIDs` whose tickets an agent may read (`ro` in the queue's group).
    func readableQueues(_ queueIDs: [Int], by principal: Principal) async throws -> [Int] {
        guard case .agent(let agent) = principal else { throw DeskError.accessDenied(.readDirectory) }
        let catalog = try await store.catalog()
        return queueIDs.filter { id in
            guard let queue = catalog.queues[id] else { return false }
            return agent.id == 1 || agent.has(.ro, inGroup: queue.groupID)
        }
    }

    /// The ticket and article an attachment belongs to, when the principal may read the ticket.
    public func location(ofAttachment attachmentID: Int, by principal: Principal) async throws -> (ticket: Int, article: Int)? {
        guard let article = try await store.read({ try await $0.articleID(ofAttachment: attachmentID) }),
            let ticket = try await ticketID(ofArticle: article, by: principal)
        else { return nil }
        return (ticket, article)
    }

    /// Changes an article's subject, body, visibility and the face's attributes of it. Needs
    /// `rw` on the ticket's queue.
    public func updateArticle(
        articleID: Int, subject: String?, body: String?, isVisibleForCustomer: Bool?, faceAttributes: FaceAttributes?,
        by principal: Principal
    ) async throws {
        try principal.require(.updateTickets)
        let now = clock.now()
        let catalog = try await store.catalog()
        if let subject, subject.count > 3_800 { throw DeskError.invalid(.article(0, .subject), .tooLong(max: 3_800)) }
        try await store.write { tx in
            let ticket = try await Self.writableTicket(ofArticle: articleID, tx: tx, principal: principal, catalog: catalog)
            try await tx.updateArticle(
                id: articleID, subject: subject, body: body, isVisibleForCustomer: isVisibleForCustomer, at: now,
                by: principal.actingUserID(catalog.settings))
            if let faceAttributes {
                try await tx.setFaceAttributes(face: faceAttributes.face, kind: .article, objectID: articleID, faceAttributes.values)
            }
            // Whether the customer sees an article moves the first response and the last contact.
            var changes = TicketChanges()
            if isVisibleForCustomer != nil { changes.escalation = try await EscalationIndex(catalog: catalog).changed(ticket, reader: tx) }
            try await tx.updateTicket(id: ticket.id, changes, changedBy: principal.actingUserID(catalog.settings), at: now)
        }
    }

    /// The files of one article, with their content when asked (one file of a ticket without
    /// reading all of them). An article of a ticket the principal may not read is not found.
    public func attachments(ofArticle articleID: Int, withContent: Bool, by principal: Principal) async throws -> [Attachment] {
        try principal.require(.readTickets)
        let catalog = try await store.catalog()
        return try await store.read { reader in
            guard let ticketID = try await reader.ticketID(ofArticle: articleID) else {
                throw DeskError.notFound(.article, key: String(articleID))
            }
            _ = try await Self.readable(ticketID, reader: reader, principal: principal, catalog: catalog)
            return try await reader.attachments(articleIDs: [articleID], withContent: withContent)
        }
    }

    /// Removes an article with its attachments and accounted time. Needs `rw` on the queue.
    public func deleteArticle(articleID: Int, by principal: Principal) async throws {
        try principal.require(.updateTickets)
        let now = clock.now()
        let catalog = try await store.catalog()
        try await store.write { tx in
            let ticket = try await Self.writableTicket(ofArticle: articleID, tx: tx, principal: principal, catalog: catalog)
            try await tx.deleteArticle(id: articleID)
            // The article may have been the first response or the last contact.
            if let times = try await EscalationIndex(catalog: catalog).changed(ticket, reader: tx) {
                var changes = TicketChanges()
                changes.escalation = times
                try await tx.updateTicket(id: ticket.id, changes, changedBy: principal.actingUserID(catalog.settings), at: now)
            }
        }
    }

    /// Adds a file to an existing article; returns its id.
    public func addAttachment(articleID: Int, _ file: AttachmentDraft, by principal: Principal) async throws -> Int {
        try principal.require(.updateTickets)
        let catalog = try await store.catalog()
        guard !file.filename.isEmpty, file.filename.count <= 250 else {
            throw DeskError.invalid(.article(0, .attachment(0, .filename)), .outOfRange("1 to 250 characters"))
        }
        return try await store.write { tx in
            let ticket = try await Self.readable(
                try await tx.ticketID(ofArticle: articleID) ?? 0, reader: tx, principal: principal, catalog: catalog)
            guard TicketAccess.canChange(.article, ticket, by: principal, catalog: catalog) else {
                throw DeskError.accessDenied(.addArticle)
            }
            return try await tx.insertAttachment(
                NewAttachment(
                    articleID: articleID, filename: file.filename, contentType: file.contentType, contentID: file.contentID,
                    disposition: file.disposition, content: file.content))
        }
    }

    public func deleteAttachment(id: Int, by principal: Principal) async throws {
        try principal.require(.updateTickets)
        let catalog = try await store.catalog()
        try await store.write { tx in
            guard let articleID = try await tx.articleID(ofAttachment: id) else { throw DeskError.notFound(.attachment, key: String(id)) }
            _ = try await Self.writableTicket(ofArticle: articleID, tx: tx, principal: principal, catalog: catalog)
            try await tx.deleteAttachment(id: id)
        }
    }

    static func writableTicket(ofArticle articleID: Int, tx: any StoreWriter, principal: Principal, catalog: Catalog) async throws -> Ticket
    {
        guard let ticketID = try await tx.ticketID(ofArticle: articleID) else { throw DeskError.notFound(.article, key: String(articleID)) }
        let ticket = try await readable(ticketID, reader: tx, principal: principal, catalog: catalog)
        guard TicketAccess.canChange(.fields, ticket, by: principal, catalog: catalog) else {
            throw DeskError.accessDenied(.changeAttributes)
        }
        return ticket
    }
}
