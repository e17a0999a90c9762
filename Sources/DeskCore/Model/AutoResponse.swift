/// A text sent automatically to a customer (Znuny's auto responses): linked to a queue for one
/// auto response type (`auto reply` for new tickets, `auto follow up` for follow-ups, …).
/// Znuny's tags in subject and text are filled in (`fill`).
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

    /// `template` with `tags` filled in (`OTRSTags`, see `ArticleWriter.templateTags`).
    /// `<OTRS_CUSTOMER_SUBJECT>` is the customer's `subject` as written; with a size,
    /// `<OTRS_CUSTOMER_SUBJECT[n]>`, it is cleaned as `TicketSubjectClean` cleans it for the ticket
    /// `number` (`hook` names its tag), and when it has at least n characters, its first n and
    /// ` [...]` (Znuny's `s/^(.{n}).*$/$1 [...]/`); a size that is no number keeps the subject as
    /// written.
    public static func fill(_ template: String, tags: OTRSTags, subject: String, number: String, hook: String = "Ticket#") -> String {
        tags.fill(template) { tag in
            guard tag.uppercased().hasPrefix("OTRS_CUSTOMER_SUBJECT") else { return nil }
            guard let open = tag.firstIndex(of: "["), let close = tag.firstIndex(of: "]"), open < close,
                let size = Int(tag[tag.index(after: open)..<close]), size >= 0
            else { return subject }
            let cleaned = MailOutboxService.cleanSubject(subject, hook: hook, number: number)
            return cleaned.count >= size ? String(cleaned.prefix(size)) + " [...]" : cleaned
        }
    }
}
