import DeskCore
import DeskFaceKit

/// The ticket object of the ticketInfo extension (seed 002, as ported to osTicket 1.18.1), built
/// from a SwiftDesk ticket: keys in the extension's order, timestamps `YYYY-MM-DD HH:MM:SS` (UTC),
/// names as osTicket's `PersonsName` objects.
struct OSTicketTicketView {
    let mapping: OSTicketMapping
    /// The ticket's customer user (nil when the ticket names an unknown address).
    let customer: CustomerUser?

    func render(_ details: TicketDetails) -> JSONValue {
        let ticket = details.ticket
        let catalog = mapping.catalog
        let status = mapping.status(ofState: ticket.stateID)
        let topic = mapping.topic(ofService: ticket.serviceID)
        let customerName = customer?.fullName.trimmingSpaces ?? ticket.customerUserID ?? ""
        let email = customer?.email ?? ticket.customerUserID ?? ""
        let agentSender = catalog.senderTypes["agent"]?.id
        let customerSender = catalog.senderTypes["customer"]?.id
        let lastMessage = details.articles.last { $0.senderTypeID == customerSender }
        let lastResponse = details.articles.last { $0.senderTypeID == agentSender && $0.isVisibleForCustomer }
        let closed = status.state == "closed" ? details.events.last { $0.change.kind == "StateChanged" }?.createdAt : nil
        let owner = ticket.assignedOwnerID.flatMap { details.agents[$0] }
        return .ordered([
            "ticket_number": .string(ticket.number),
            "subject": .string(ticket.title),
            "ticket_status": .string(status.name),
            "statusId": .int(status.id),
            "priority": .string(mapping.priority(ofCore: ticket.priorityID).name),
            "department": .string(mapping.department(ofQueue: ticket.queueID).name),
            "create_timestamp": Self.time(ticket.createdAt),
            "user_name": .string(customerName),
            "user_email": .ordered(["email": .string(email), "address": .string("\"\(customerName)\" <\(email)>")]),
            "user_phone": .string(Self.phone(customer?.phone ?? "")),
            "source": .string(source(of: details.articles.first)),
            "assigned_to": .array(owner.map { [Self.agentName($0)] } ?? []),
            // osTicket's `getEstDueDate`, kept after closing and counted again from a reopening.
            "due_timestamp": EscalationIndex(catalog: catalog).keptSolutionDeadline(of: ticket, events: details.events).map(Self.time)
                ?? .null,
            "close_timestamp": closed.map(Self.time) ?? .null,
            "help_topic": topic.map { .string(mapping.directory.fullName(of: $0)) } ?? .null,
            "last_message_timestamp": lastMessage.map { Self.time($0.createdAt) } ?? .null,
            "last_response_timestamp": lastResponse.map { Self.time($0.createdAt) } ?? .null,
            "thread_entries": .array(entries(details)),
        ])
    }

    /// How the ticket came in, from its first article's channel.
    func source(of article: Article?) -> String {
        guard let article else { return "API" }
        switch mapping.catalog.channels[article.channelID]?.name {
        case "Email": return "Email"
        case "Phone": return "Phone"
        default: return "API"
        }
    }

    /// One thread entry: `M` a message from the client, `R` a response the client sees, `N` an
    /// internal note.
    /// The thread entries in order; each response answers the client's latest message before it
    /// (`addResponse`: its `pid`).
    func entries(_ details: TicketDetails) -> [JSONValue] {
        let customerSender = mapping.catalog.senderTypes["customer"]?.id
        var lastMessage = 0
        return details.articles.map { article in
            let rendered = entry(article, details: details, lastMessage: lastMessage)
            if article.senderTypeID == customerSender { lastMessage = article.id }
            return rendered
        }
    }

    func entry(_ article: Article, details: TicketDetails, lastMessage: Int) -> JSONValue {
        let catalog = mapping.catalog
        let isCustomer = article.senderTypeID == catalog.senderTypes["customer"]?.id
        let isResponse = !isCustomer && article.isVisibleForCustomer && article.senderTypeID == catalog.senderTypes["agent"]?.id
        let type = isCustomer ? "M" : isResponse ? "R" : "N"
        // osTicket's own notes (a file it could not import) are posted by `SYSTEM`, staff 0.
        let isSystem = article.senderTypeID == catalog.senderTypes["system"]?.id
        let isMailedNote = type == "N" && !isSystem && catalog.channels[article.channelID]?.name == "Email"
        let agent = isCustomer || isSystem ? nil : details.agents[article.createdBy]
        let staffID = isSystem ? 0 : mapping.osTicketID(OSTicketMapping.Kind.staff, ofCore: article.createdBy) ?? article.createdBy
        // The opening message is posted under the user's name (`MessageThreadEntry::add`), a
        // mailed follow-up under the name its `From` gives (`Thread::postEmail`).
        let isOpening = details.articles.first?.id == article.id
        let poster =
            isCustomer
            ? ((isOpening ? customer?.fullName.nilIfBlank : nil) ?? MailHeaders.mailboxes(article.from).first?.name.nilIfBlank
                ?? customer?.fullName ?? article.from)
            : isSystem ? "SYSTEM" : (agent?.fullName ?? "")
        let isHTML = article.mimeType.lowercased() == "text/html" || article.contentType.lowercased().hasPrefix("text/html")
        let format = isHTML ? "html" : "text"
        let body = JSONValue.string(isHTML ? OSTicketStoredBody.html(article.body) : OSTicketStoredBody.text(article.body))
        let files = details.attachments[article.id] ?? []
        return .ordered([
            "model": .ordered([
                "id": .int(article.id),
                "pid": .int(isResponse ? lastMessage : 0),
                "thread_id": .int(article.ticketID),
                "staff_id": isCustomer ? .null : .int(staffID),
                "user_id": isCustomer ? (customer.map { .int($0.id) } ?? .null) : .null,
                "type": .string(type),
                "poster": .string(poster),
                "editor": .null,
                // An agent's mail is a note with the source `Email` and no title (`postNote`).
                "source": .string(isCustomer || isMailedNote ? source(of: article) : ""),
                // Only the opening message has a title (`$vars['title'] = $vars['subject']`); later
                // messages and responses have none, notes keep theirs.
                "title": (type == "N" && !isMailedNote) || (type == "M" && details.articles.first?.id == article.id)
                    ? .string(OSTicketStoredBody.title(article.subject)) : .null,
                "body": body,
                // `ThreadEntry::getBody`: HTML entries are read with embedded images kept, as balanced.
                "message": .ordered([
                    "body": body, "type": .string(format), "stripped_images": .array([]), "embedded_images": .array([]),
                    "options": isHTML
                        ? .ordered(["strip-embedded": .bool(false), "balanced": .bool(true)]) : .ordered(["strip-embedded": .bool(true)]),
                ]),
                "format": .string(format),
                "created": Self.time(article.createdAt),
                "updated": .string("0000-00-00 00:00:00"),
                "staff_name": isCustomer || isSystem ? .null : agent.map(Self.agentName) ?? .null,
                "user_name": isCustomer ? Self.name(poster) : .null,
            ]),
            // `COUNT` of the entry's files that are not inline: a file is inline when the body
            // shows it (`cid:<Content-ID>`, `ThreadEntry::create`).
            "annotations": .ordered([
                "has_attachments": .int(files.filter { $0.contentID.isEmpty || !article.body.contains("cid:" + $0.contentID) }.count)
            ]),
        ])
    }

    static func time(_ seconds: Int64) -> JSONValue {
        .string(CivilDate(unixSeconds: seconds).timestampString)
    }

    /// osTicket's `UsersName` as JSON: the name as entered, split by `PersonsName::splitName`
    /// (a first word with a period is a salutation, a last one a suffix; a single word with
    /// periods is split at them; a lone first name has no last name, `null`).
    static func name(_ full: String) -> JSONValue {
        var words = full.components(separatedBy: " ")
        if words.count == 1 && words[0].contains(".") { words = full.components(separatedBy: ".") }
        let salutation = words[0].contains(".") ? words[0] : ""
        let first = salutation.isEmpty ? words[0] : words.count > 1 ? words[1] : ""
        let suffix = words[words.count - 1].contains(".") ? words[words.count - 1] : ""
        let start = salutation.isEmpty ? 1 : 2
        let end = suffix.isEmpty ? words.count - 1 : words.count - 2
        var middle = start <= end ? Array(words[start...end]) : []
        let last: JSONValue = middle.isEmpty ? .null : .string(middle.removeLast())
        return .ordered([
            "format": .string("original"),
            "parts": .ordered([
                "salutation": .string(salutation), "first": .string(first), "suffix": .string(suffix), "last": last,
                "middle": .string(middle.joined(separator: " ")),
            ]),
            "name": .string(full),
        ])
    }

    /// osTicket's `AgentsName` of a staff member (`Staff::getName`): first and last name as
    /// given, the default `full` format.
    static func agentName(_ agent: Agent) -> JSONValue {
        .ordered([
            "format": .string("full"),
            "parts": .ordered(["first": .string(agent.firstName), "last": .string(agent.lastName)]),
            "name": .string(agent.firstName + " " + agent.lastName),
        ])
    }

    /// A phone number as osTicket's phone field stores it (`PhoneField::parse`): only digits and
    /// the extension's `X`; the input itself when nothing is left.
    static func parsedPhone(_ raw: String) -> String {
        let kept = String(raw.unicodeScalars.filter { ("0"..."9").contains($0) || $0 == "X" }.map(Character.init))
        return kept.isEmpty ? raw : kept
    }

    /// A stored phone number as osTicket shows it (`PhoneField::toString` with the US format):
    /// seven digits as `555-1234`, ten as `(318) 555-8634`, anything else as stored, then
    /// ` x<extension>` (`3185558634X123` → `(318) 555-8634 x123`).
    static func phone(_ stored: String) -> String {
        let parts = stored.split(separator: "X", maxSplits: 1, omittingEmptySubsequences: false)
        let number = String(parts.first ?? "")
        let digits = Array(number.filter { $0.isASCII && $0.isNumber })
        var shown = number
        if digits.count == 7 {
            shown = String(digits[0..<3]) + "-" + String(digits[3..<7])
        } else if digits.count == 10 {
            shown = "(\(String(digits[0..<3]))) \(String(digits[3..<6]))-\(String(digits[6..<10]))"
        }
        // PHP's `if ($ext)`: an empty or "0" extension is left out.
        if parts.count > 1, !parts[1].isEmpty, parts[1] != "0" { shown += " x" + parts[1] }
        return shown
    }
}

extension String {
    var nilIfBlank: String? { trimmingSpaces.isEmpty ? nil : self }
}
