/// A text sent automatically to a customer (Znuny's auto responses): linked to a queue for one
/// auto response type (`auto reply` for new tickets, `auto follow up` for follow-ups, …).
/// Znuny's tags in subject and text are filled in: `<OTRS_CUSTOMER_SUBJECT[n]>` (the customer's
/// subject, cut to n characters with `[...]`), `<OTRS_CUSTOMER_REALNAME>`, `<OTRS_TICKET_TicketNumber>`,
/// `<OTRS_TICKET_Title>`, `<OTRS_TICKET_Queue>`; other `<OTRS_…>` tags become `-`, as in Znuny.
public struct AutoResponse: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var typeID: Int
    public var subject: String
    public var text: String

    public init(id: Int, name: String, typeID: Int, subject: String, text: String) {
        self.id = id
        self.name = name
        self.typeID = typeID
        self.subject = subject
        self.text = text
    }

    /// `template` with the tags filled in (`OTRSTags`).
    public static func fill(_ template: String, subject: String, realName: String, ticket: Ticket, queue: String) -> String {
        var tags = OTRSTags()
        tags["OTRS_CUSTOMER_REALNAME"] = realName
        tags["OTRS_TICKET_TicketNumber"] = ticket.number
        tags["OTRS_TICKET_Title"] = ticket.title
        tags["OTRS_TICKET_Queue"] = queue
        return tags.fill(template) { tag in
            guard tag.hasPrefix("OTRS_CUSTOMER_SUBJECT") else { return nil }
            guard let open = tag.firstIndex(of: "["), let close = tag.firstIndex(of: "]"), open < close,
                let size = Int(tag[tag.index(after: open)..<close]), size >= 0,
                subject.count > size
            else { return subject }
            return String(subject.prefix(size)) + "[...]"
        }
    }
}
