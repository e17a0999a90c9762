import DeskCore
import DeskFaceKit

/// `POST /api/tickets.email` (`include/api.tickets.php`, `class.mailparse.php`): a raw message
/// piped by a mail server. A message that belongs to an existing ticket (the same `Message-ID`
/// again, an `In-Reply-To`/`References` naming one of its messages, or a `[#number]` subject from
/// the ticket's client) is added to that ticket and its number answered; any other message opens
/// a ticket with source Email. A mail's files are kept whatever their size (osTicket checks
/// `MaxFileSize` for JSON and XML only); the request's body limit bounds them.
///
/// Copies of one message that arrive at once are handled one after the other (`arrivals`), so
/// the second finds the first's ticket instead of opening another (osTicket itself checks and
/// writes without a lock). A follow-up whose ticket is deleted meanwhile opens a new ticket, as
/// the same mail a moment later would.
struct OSTicketMailPipe {
    let services: DeskServices
    let mapping: OSTicketMapping
    let principal: Principal
    let now: Int64
    let arrivals: KeyedSerialization

    func run(_ bytes: [UInt8]) async throws -> Result<String, OSTicketWire.Failure> {
        guard !bytes.isEmpty else { return .failure(.init(400, "Unable to read email request")) }
        let mail: MailMessage
        do {
            mail = try MailMessage(parsing: bytes)
        } catch .noHeaders {
            // osTicket's parser reads such a body as a message without a sender.
            return .failure(OSTicketTicketCreate.failure([("user", "Incomplete client information")]))
        } catch {
            // Nesting or part counts beyond the limits: refused without reading further.
            return .failure(.init(400, "Unable to read email request"))
        }
        guard let sender = mail.from.first else {
            return .failure(OSTicketTicketCreate.failure([("user", "Incomplete client information")]))
        }
        guard !mail.messageID.isEmpty else { return try await file(mail, sender: sender) }
        return try await arrivals.run(mail.messageID) {
            // A message seen before: osTicket answers with its ticket and adds nothing.
            if let known = try await services.tickets.ticketIDs(messageIDs: [mail.messageID], by: principal).first,
                case let number = try await number(of: known.value), !number.isEmpty
            {
                return .success(number)
            }
            return try await file(mail, sender: sender)
        }
    }

    /// Adds the mail to the ticket it answers, else opens a ticket with it.
    private func file(_ mail: MailMessage, sender: MailHeaders.Mailbox) async throws -> Result<String, OSTicketWire.Failure> {
        do {
            if let ticketID = try await thread(of: mail, sender: sender) {
                return .success(try await followUp(mail, sender: sender, ticketID: ticketID))
            }
        } catch DeskError.notFound(.ticket, _) {
            // Deleted since it was found: the mail opens a ticket of its own.
        }
        let parts = OSTicketMailParts(mail)
        var submission = OSTicketSubmission()
        submission.fields = ["email": sender.address, "name": sender.name.isEmpty ? sender.address : sender.name, "subject": mail.subject]
        submission.message = parts.body
        for file in parts.files {
            submission.add(
                name: file.name, type: file.type, bytes: file.bytes, maxFileSize: .max, contentID: file.contentID,
                disposition: file.disposition)
        }
        let create = OSTicketTicketCreate(services: services, mapping: mapping, principal: principal, now: now)
        return try await create.run(submission, arrival: .mail(details(of: mail)))
    }

    /// The ticket a reply belongs to: by the ids it answers (the newest reference first), else by
    /// a `#number` in the subject when the sender is the ticket's client.
    func thread(of mail: MailMessage, sender: MailHeaders.Mailbox) async throws -> Int? {
        let answered = Array((mail.inReplyTo + mail.references.reversed()).prefix(50))
        if !answered.isEmpty {
            let found = try await services.tickets.ticketIDs(messageIDs: answered, by: principal)
            if let id = answered.lazy.compactMap({ found[$0] }).first { return id }
        }
        guard let number = Self.subjectNumber(mail.subject),
            let id = try await services.tickets.ticketID(number: number, by: principal)
        else { return nil }
        let ticket = try await services.tickets.get(ticketID: id, options: TicketReadOptions(articles: false), by: principal).ticket
        return try await isClient(sender.address, of: ticket) ? id : nil
    }

    func isClient(_ address: String, of ticket: Ticket) async throws -> Bool {
        guard let login = ticket.customerUserID else { return false }
        if login.lowercased() == address.lowercased() { return true }
        let customer = try await services.directory.customerUser(login: login, by: principal)
        return customer?.email.lowercased() == address.lowercased()
    }

    /// Adds the mail to its ticket: from the client a message (reopening a closed ticket), from
    /// an agent an internal note, from anyone else a message that says who sent it. Answers the
    /// ticket's number.
    func followUp(_ mail: MailMessage, sender: MailHeaders.Mailbox, ticketID: Int) async throws -> String {
        let ticket = try await services.tickets.get(ticketID: ticketID, options: TicketReadOptions(articles: false), by: principal).ticket
        var article = ArticleDraft(
            subject: mail.subject.isEmpty ? "[No Subject]" : mail.subject, body: "", senderType: .name("customer"),
            channel: .name("Email"), isVisibleForCustomer: true, label: "FollowUp", note: "%%osTicket e-mail")
        let parts = OSTicketMailParts(mail)
        let body = parts.body
        article.body = body.text
        article.contentType = body.isHTML ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"
        details(of: mail).fill(&article)
        for file in parts.files {
            article.attachments.append(
                AttachmentDraft(
                    filename: String(file.name.prefix(250)), contentType: file.type, content: file.bytes,
                    contentID: file.contentID, disposition: file.disposition))
        }
        if try await isClient(sender.address, of: ticket) {
            return try await services.tickets.addFollowUp(ticketID: ticketID, article, reassignsOnReopen: true, by: principal).ticketNumber
        }
        let agents = try await services.directory.agents(matching: sender.address, by: principal)
        if let agent = agents.first(where: { $0.validity == .valid && $0.email.lowercased() == sender.address.lowercased() }) {
            // An agent's mail is an internal note, written as that agent when the key may act for
            // others (an administrator's key), else as the key's agent.
            var author = principal
            if case .agent(let keyAgent) = principal, keyAgent.id != agent.id {
                do {
                    author = .agent(try await services.auth.impersonate(agent.login, by: principal))
                } catch DeskError.accessDenied(.impersonate) {
                    // Not an administrator's key: the note is the key's agent's.
                }
            }
            article.senderType = .name("agent")
            article.isVisibleForCustomer = false
            article.label = "AddNote"
            _ = try await services.tickets.addArticle(ticketID: ticketID, article, by: author)
            return ticket.number
        }
        // `Thread::postEmail`: a banner naming the sender, `nl2br`-ed and in a `<div>` for HTML.
        let who = "\(sender.name.isEmpty ? sender.address : sender.name) <\(sender.address)>"
        article.body =
            (body.isHTML
                ? "<div>Received From: \(HTMLEntities.specialChars(who, quotes: false))<br />\n<br />\n<br/><br/></div>"
                : "Received From: \(who)\n\n")
            + article.body
        return try await services.tickets.addFollowUp(ticketID: ticketID, article, reassignsOnReopen: true, by: principal).ticketNumber
    }

    func details(of mail: MailMessage) -> OSTicketTicketCreate.MailDetails {
        let list = { (boxes: [MailHeaders.Mailbox]) in boxes.map(\.headerText).joined(separator: ", ") }
        return .init(
            from: list(Array(mail.from.prefix(1))), to: list(mail.to), cc: list(mail.cc), messageID: mail.messageID,
            inReplyTo: mail.inReplyTo.joined(separator: " "), references: mail.references.joined(separator: " "))
    }

    func number(of ticketID: Int) async throws -> String {
        try await services.tickets.ticketNumbers(ids: [ticketID], by: principal)[ticketID] ?? ""
    }

    /// The number after the first `#` in a subject (`[#2026112810000013]`, `Re: #583014`).
    static func subjectNumber(_ subject: String) -> String? {
        guard let hash = subject.firstIndex(of: "#") else { return nil }
        let digits = subject[subject.index(after: hash)...].prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }
}
