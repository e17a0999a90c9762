extension ArticleWriter {
    /// Articles stored as Znuny's GenericInterface sends them (`ArticleDraft.storedAsSent`): the
    /// subject built by `TicketSubjectBuild` (an empty one from the ticket's title) and the queue's
    /// signature appended to the body, its tags filled for the acting agent, the ticket's owner
    /// and responsible agent and the ticket (`Signature.rendered`). Other articles pass unchanged.
    func storedAsSent(_ articles: [PreparedArticle], ticket: Ticket) async throws -> [PreparedArticle] {
        guard articles.contains(where: \.storedAsSent) else { return articles }
        let signature = catalog.queues[ticket.queueID]?.signatureID.flatMap { catalog.signatures[$0] }
        let tags = try await signature == nil ? OTRSTags() : signatureTags(ticket)
        return articles.map { article in
            guard article.storedAsSent else { return article }
            var article = article
            let subject = article.row.subject.isEmpty ? ticket.title : article.row.subject
            article.row.subject = MailOutboxService.subject(subject, number: ticket.number, settings: catalog.settings)
            if let signature {
                article.row.body += signature.rendered(html: article.row.mimeType.lowercased() == "text/html", tags: tags)
            }
            return article
        }
    }

    /// The tags a signature may use, Znuny's names (see `SignatureCommand`).
    private func signatureTags(_ ticket: Ticket) async throws -> OTRSTags {
        var tags = OTRSTags()
        let agents = try await tx.agents(ids: Set([actingUserID, ticket.ownerID, ticket.responsibleID]).sorted())
        for agent in agents {
            if agent.id == actingUserID { tags.add(agent, prefixes: ["OTRS_Agent_", "OTRS_CURRENT_"]) }
            if agent.id == ticket.ownerID { tags.add(agent, prefixes: ["OTRS_OWNER_", "OTRS_TICKET_OWNER_"]) }
            if agent.id == ticket.responsibleID { tags.add(agent, prefixes: ["OTRS_RESPONSIBLE_", "OTRS_TICKET_RESPONSIBLE_"]) }
        }
        if let acting = agents.first(where: { $0.id == actingUserID }) {
            tags["OTRS_FIRST_NAME"] = acting.firstName
            tags["OTRS_LAST_NAME"] = acting.lastName
        }
        let ticketFields = [
            "TicketNumber": ticket.number, "TicketID": String(ticket.id), "Title": ticket.title,
            "Queue": catalog.queues[ticket.queueID]?.name ?? "", "CustomerUserID": ticket.customerUserID ?? "",
            "CustomerID": ticket.customerID ?? "",
        ]
        for (key, value) in ticketFields { tags["OTRS_TICKET_" + key] = value }
        tags["OTRS_CONFIG_FQDN"] = catalog.settings["FQDN"]
        tags["OTRS_CONFIG_Ticket::Hook"] = catalog.settings["Ticket::Hook"]
        return tags
    }
}
