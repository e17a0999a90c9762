extension ArticleWriter {
    /// Articles stored as Znuny's GenericInterface sends them (`ArticleDraft.storedAsSent`): the
    /// subject built by `TicketSubjectBuild` (an empty one from the ticket's title) and the queue's
    /// signature appended to the body, its tags filled for the acting agent, the ticket's owner
    /// and responsible agent and the ticket (`Signature.rendered`). Other articles pass unchanged.
    func storedAsSent(_ articles: [PreparedArticle], ticket: Ticket) async throws -> [PreparedArticle] {
        guard articles.contains(where: \.storedAsSent) else { return articles }
        let signature = catalog.queues[ticket.queueID]?.signatureID.flatMap { catalog.signatures[$0] }
        let tags = signature == nil ? OTRSTags() : try await templateTags(ticket, customer: customerUser(of: ticket))
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
}
