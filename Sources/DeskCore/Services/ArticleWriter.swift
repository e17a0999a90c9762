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
                    let replyID = try await tx.insertArticles([reply.row])[0]
                    var stored = reply.row
                    stored.id = replyID
                    autoReplies.append(stored)
                    try await tx.enqueueMail([(articleID: replyID, security: nil)], ticketID: ticket.id, at: now)
                    let label = Self.historyType(
                        ofAutoResponse: article.autoResponseTypeID.flatMap { catalog.autoResponseTypes[$0]?.name } ?? "")
                    events.append(event(.articleAdded, ticket, articleID: replyID, actorID: 1, label: label, note: "%%\(reply.row.to)"))
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

    /// What `autoReply` decided: the reply to write, if any, and the notes of Znuny's `Misc`
    /// history rows for what it withheld.
    struct AutoReplyOutcome {
        var reply: (row: NewArticle, to: String)? = nil
        var withheld: [String] = []
    }

    /// Znuny's `SendAutoResponse` (Email backend): when the ticket's queue has an auto response of
    /// the article's type, a system article from the queue's address answers each address of the
    /// article's `From` except invalid ones, bounce and abuse mailboxes (`SendNoAutoResponseRegExp`)
    /// and the system's own addresses (no mail loops), with the ticket's customer user in `Cc`
    /// when a visible article came from someone else. None for an `auto reply` on a closed ticket.
    func autoReply(to article: PreparedArticle, ticket: Ticket) async throws -> AutoReplyOutcome {
        guard let typeID = article.autoResponseTypeID, catalog.linkedAutoResponses.contains([ticket.queueID, typeID]),
            let queue = catalog.queues[ticket.queueID],
            let system = catalog.systemAddresses[queue.systemAddressID],
            let response = try await tx.autoResponse(queueID: queue.id, typeID: typeID)
        else { return AutoReplyOutcome() }
        let stateType = catalog.stateTypeName(ofState: ticket.stateID)
        if catalog.autoResponseTypes[typeID]?.name == "auto reply" && (stateType == "closed" || stateType == "removed") {
            return AutoReplyOutcome(
                withheld: ["Sent no auto response or agent notification because ticket is state-type '\(stateType)'!"])
        }
        var outcome = AutoReplyOutcome()
        var recipients: [String] = []
        for entry in MailAddress.list(article.row.from) {
            let address = MailAddress.bare(entry)
            if !MailAddress.isValid(address) {
                outcome.withheld.append("Sent no auto response to '\(entry)' - no valid email address.")
            } else if Self.isNoAutoResponseAddress(address) {
                outcome.withheld.append("Sent no auto response to '\(address)', SendNoAutoResponseRegExp matched.")
            } else if !catalog.systemAddresses.values.contains(where: {
                $0.validity == .valid && $0.address.lowercased() == address.lowercased()
            }) {
                recipients.append(entry)
            }
        }
        var customer: CustomerUser?
        if let login = ticket.customerUserID, !login.isEmpty { customer = try await tx.customerUser(login: login) }
        var cc = ""
        if let email = customer?.email, !email.isEmpty, article.row.isVisibleForCustomer,
            !article.row.from.lowercased().contains(email.lowercased())
        {
            cc = email
        }
        guard !recipients.isEmpty || !cc.isEmpty else { return outcome }
        let to = recipients.joined(separator: ", ")
        // `<OTRS_CUSTOMER_REALNAME>`: the ticket's customer user's name, else the article's `To`
        // without its addresses (TemplateGenerator's fallback).
        var tags = try await templateTags(ticket, customer: customer)
        // TemplateGenerator's `AutoResponse` hands `_Replace` the article's headers with From and
        // To swapped (the answer goes back to the sender): `<OTRS_CUSTOMER_REALNAME>` is the
        // ticket's customer user's name, else the article's `From` without its addresses.
        tags["OTRS_CUSTOMER_REALNAME"] = customer.map(\.fullName).flatMap(\.nilIfEmpty) ?? Self.namesOnly(article.row.from)
        let headers = [
            ("From", article.row.to), ("To", article.row.from), ("Cc", article.row.cc),
            ("Subject", article.row.subject.isEmpty ? "No Subject" : article.row.subject),
            ("Body", article.row.body.isEmpty ? "No Body" : article.row.body),
        ]
        for (key, value) in headers { tags["OTRS_CUSTOMER_" + key] = value }
        let fill = { (text: String) in
            AutoResponse.fill(text, tags: tags, subject: article.row.subject, number: ticket.number, hook: catalog.settings["Ticket::Hook"])
        }
        let row = NewArticle(
            id: 0, ticketID: ticket.id, senderTypeID: catalog.senderTypes["system"]?.id ?? 2, channelID: catalog.channels["Email"]?.id ?? 1,
            isVisibleForCustomer: true, from: MailAddress.perlFormat(name: system.realName, address: system.address), to: to, cc: cc,
            bcc: "", replyTo: "", subject: catalog.settings.ticketTag(ticket.number) + " " + HeaderLine.of(fill(response.subject)),
            body: fill(response.text),
            contentType: "text/plain; charset=utf-8", charset: "utf-8", mimeType: "text/plain",
            messageID: MessageID.make(at: now, fqdn: catalog.settings["FQDN"]), inReplyTo: article.row.messageID,
            references: article.row.messageID, incomingTime: now, createdAt: now, createdBy: 1, changedAt: now, changedBy: 1)
        outcome.reply = (row, to)
        return outcome
    }

    /// An address line without its addresses, comments, quotes and separators, trimmed
    /// (`s/<.*>|\(.*\)|\"|;|,//g`: from the first `<` to the last `>`, likewise parentheses).
    static func namesOnly(_ line: String) -> String {
        var text = line
        for (open, close) in [("<", ">"), ("(", ")")] {
            if let first = text.firstIndex(of: Character(open)), let last = text.lastIndex(of: Character(close)), first < last {
                text.removeSubrange(first...last)
            }
        }
        text.removeAll { $0 == "\"" || $0 == ";" || $0 == "," }
        return text.trimmingSpaces
    }

    /// Znuny's default `SendNoAutoResponseRegExp`, `(MAILER-DAEMON|postmaster|abuse)@.+?\..+?`
    /// without case: bounce and abuse mailboxes get no auto response.
    static func isNoAutoResponseAddress(_ address: String) -> Bool {
        let lowered = address.lowercased()
        for mailbox in ["mailer-daemon@", "postmaster@", "abuse@"] {
            guard let found = lowered.firstRange(of: mailbox) else { continue }
            let domain = lowered[found.upperBound...]
            if let dot = domain.dropFirst().firstIndex(of: "."), domain.index(after: dot) < domain.endIndex { return true }
        }
        return false
    }

    /// The history type Znuny's `SendAutoResponse` records for an auto response of this type.
    static func historyType(ofAutoResponse type: String) -> String {
        switch type.lowercased() {
        case "auto follow up": "SendAutoFollowUp"
        case "auto reply", "auto reply/new ticket": "SendAutoReply"
        case "auto reject": "SendAutoReject"
        default: "Misc"
        }
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
