/// What a ticket create wrote, kept so that the create can answer with the new ticket as
/// `TicketService.get` would read it right after the commit, without reading it back
/// (`TicketService.createAndRead`).
///
/// Every part mirrors a row the create inserted: the ticket as `NewTicket` stores it, the
/// articles with their ids (auto replies included), the non-empty dynamic field values, the
/// accounted time and the face attributes. The ticket is read back instead (`details` is nil)
/// when the read wants what is not kept: attachments that were written (the insert returns no
/// ids), events, or some articles only (`TicketReadOptions.articleIDs`); and when the create set
/// a dynamic field of one object twice (both lists are stored at the same positions, and the
/// database decides their order).
/// `TicketCreateReadTests` compares every part with a read on both databases.
struct WrittenTicket: Sendable {
    var ticket: Ticket
    /// With their ids; the order of the ids is the order the store reads them in.
    var articles: [Article]
    var wroteAttachments: Bool
    /// Ticket dynamic field values by field id.
    var ticketFields: [Int: [String]]
    /// Article id → field id → values.
    var articleFields: [Int: [Int: [String]]]
    /// Accounted time, by article, in the order written.
    var timeUnits: [(articleID: Int, unit: Double)]
    var ticketAttributes: FaceAttributes?
    var articleAttributes: [Int: FaceAttributes]
    /// A dynamic field set twice on one object (see above).
    var repeatsAField = false

    /// The ticket as `TicketReader` would assemble it for `principal` with `options`, except
    /// for `agents` (the caller looks up `namedAgentIDs`); nil when it must be read back (above).
    func details(options: TicketReadOptions, shownTo principal: Principal) -> TicketDetails? {
        guard !options.events, !(options.articles && options.attachments && wroteAttachments), !repeatsAField,
            options.articleIDs == nil
        else { return nil }
        var details = TicketDetails(empty: ticket)
        if options.articles {
            for article in articles.sorted(by: { $0.id < $1.id }) { details.add(article, shownTo: principal) }
            if options.dynamicFields && options.articleDynamicFields {
                for article in details.articles {
                    if let fields = articleFields[article.id] { details.articleDynamicFields[article.id] = fields }
                }
            }
        }
        if options.dynamicFields { details.dynamicFields = ticketFields }
        if options.timeAccounting {
            for entry in timeUnits {
                details.totalTimeUnits += entry.unit
                details.articleTimeUnits[entry.articleID, default: 0] += entry.unit
            }
        }
        if let face = options.faceAttributes {
            if let attributes = ticketAttributes, attributes.face == face {
                details.ticketAttributes = attributes.values.compactMapValues { $0 }
            }
            for article in details.articles {
                guard let attributes = articleAttributes[article.id], attributes.face == face else { continue }
                let kept = attributes.values.compactMapValues { $0 }
                if !kept.isEmpty { details.articleAttributes[article.id] = kept }
            }
        }
        return details
    }
}

extension WrittenTicket {
    /// The record of a create that wrote `ticket` with `articles` (ids in `ids`, in order) and
    /// then `autoReplies`.
    init(
        ticket: Ticket, articles: [PreparedArticle], ids: [Int], autoReplies: [Article],
        ticketFields: [(field: DynamicField, values: [String])], ticketAttributes: FaceAttributes?
    ) {
        self.ticket = ticket
        self.ticketAttributes = ticketAttributes
        self.ticketFields = [:]
        for (field, values) in ticketFields where !values.isEmpty {
            repeatsAField = repeatsAField || self.ticketFields[field.id] != nil
            self.ticketFields[field.id] = values
        }
        self.articles = autoReplies
        wroteAttachments = false
        articleFields = [:]
        timeUnits = []
        articleAttributes = [:]
        for (article, id) in zip(articles, ids) {
            var row = article.row
            row.id = id
            self.articles.append(row)
            wroteAttachments = wroteAttachments || !article.attachments.isEmpty
            for (field, values) in article.dynamicFields where !values.isEmpty {
                repeatsAField = repeatsAField || articleFields[id]?[field.id] != nil
                articleFields[id, default: [:]][field.id] = values
            }
            if let unit = article.timeUnit, unit > 0 { timeUnits.append((id, unit)) }
            if let attributes = article.faceAttributes { articleAttributes[id] = attributes }
        }
    }
}

extension NewTicket {
    /// The ticket row this inserts under `id` (`StoreWriter.insertTicket`): changed when created,
    /// not archived.
    func stored(id: Int) -> Ticket {
        Ticket(
            id: id, number: number, title: title, queueID: queueID, typeID: typeID, serviceID: serviceID, slaID: slaID,
            stateID: stateID, priorityID: priorityID, lockID: lockID, ownerID: ownerID, responsibleID: responsibleID,
            customerUserID: customerUserID, customerID: customerID, pendingUntil: pendingUntil,
            escalationTime: escalation.escalation, escalationResponseTime: escalation.response,
            escalationUpdateTime: escalation.update, escalationSolutionTime: escalation.solution, unlockTimeout: unlockTimeout,
            createdAt: createdAt, createdBy: createdBy, changedAt: createdAt, changedBy: createdBy)
    }
}
