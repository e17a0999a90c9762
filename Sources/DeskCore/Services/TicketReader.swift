/// Assembles `TicketDetails` for a ticket the principal may read.
struct TicketReader {
    let reader: any StoreReader
    let principal: Principal

    func details(of ticket: Ticket, options: TicketReadOptions) async throws -> TicketDetails {
        var articles: [Article] = []
        var attachments: [Int: [Attachment]] = [:]
        var articleFields: [Int: [Int: [String]]] = [:]
        var numbers: [Int: Int] = [:]
        if options.articles {
            articles = try await reader.articles(ticketID: ticket.id)
            for (index, article) in articles.enumerated() { numbers[article.id] = index + 1 }
            if case .customer = principal {
                // Customers see the articles meant for them, and never who got a blind copy.
                articles = articles.filter(\.isVisibleForCustomer).map { article in
                    var shown = article
                    shown.bcc = ""
                    return shown
                }
            }
            let ids = articles.map(\.id)
            if options.attachments && !ids.isEmpty {
                for file in try await reader.attachments(articleIDs: ids, withContent: options.attachmentContents) {
                    attachments[file.articleID, default: []].append(file)
                }
            }
            if options.dynamicFields && !ids.isEmpty {
                for value in try await reader.dynamicFieldValues(objectIDs: ids, object: .article) {
                    articleFields[value.objectID, default: [:]][value.fieldID] = value.values
                }
            }
        }
        var ticketFields: [Int: [String]] = [:]
        if options.dynamicFields {
            for value in try await reader.dynamicFieldValues(objectIDs: [ticket.id], object: .ticket) {
                ticketFields[value.fieldID] = value.values
            }
        }
        var perArticle: [Int: Double] = [:]
        var total = 0.0
        for entry in try await reader.timeAccounting(ticketID: ticket.id) {
            total += entry.timeUnit
            if let id = entry.articleID { perArticle[id, default: 0] += entry.timeUnit }
        }
        // Owner, responsible and the authors of the articles read, in one query.
        let agentIDs = Array(Set([ticket.ownerID, ticket.responsibleID] + articles.map(\.createdBy))).sorted()
        let agents = Dictionary(uniqueKeysWithValues: try await reader.agents(ids: agentIDs).map { ($0.id, $0) })
        let events = options.events ? try await reader.events(ticketID: ticket.id) : []
        var details = TicketDetails(
            ticket: ticket, articles: articles, attachments: attachments, dynamicFields: ticketFields,
            articleDynamicFields: articleFields, articleTimeUnits: perArticle, totalTimeUnits: total, agents: agents, events: events,
            articleNumbers: numbers)
        if let face = options.faceAttributes {
            details.ticketAttributes = try await reader.faceAttributes(face: face, kind: .ticket, objectIDs: [ticket.id])[ticket.id] ?? [:]
            details.articleAttributes = try await reader.faceAttributes(face: face, kind: .article, objectIDs: articles.map(\.id))
        }
        return details
    }
}
