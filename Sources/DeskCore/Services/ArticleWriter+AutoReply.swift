extension ArticleWriter {
    /// What `autoReply` decided: the reply to write, if any, and the notes of Znuny's `Misc`
    /// history rows for what it withheld.
    struct AutoReplyOutcome {
        var reply: NewArticle? = nil
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
        let customer = try await customerUser(of: ticket)
        var cc = ""
        if let email = customer?.email, !email.isEmpty, article.row.isVisibleForCustomer,
            !article.row.from.lowercased().contains(email.lowercased())
        {
            cc = email
        }
        guard !recipients.isEmpty || !cc.isEmpty else { return outcome }
        let to = recipients.joined(separator: ", ")
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
        outcome.reply = row
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
}
