import DeskCore
import DeskFaceKit
import Foundation

/// Renders tickets and articles as Znuny's TicketGet does on PostgreSQL: integer columns as JSON
/// numbers, text columns as strings, `""` for an empty service or SLA (§5.5, §10 of the spec).
/// Shared by the GenericInterface and rpc.pl.
public struct ZnunyTicketRenderer: Sendable {
    public struct Options: Sendable {
        var dynamicFields: Bool
        var extended: Bool
        var allArticles: Bool
        var senderTypes: [String]
        var articleOrderDescending: Bool
        /// How many articles `ArticleLimit` keeps; nil when it is Perl-false (no limit).
        var articleLimit: Int?
        var attachments: Bool
        var attachmentContents: Bool
        var htmlBodyAsAttachment: Bool

        /// `@Articles[0 .. $ArticleLimit - 1]` for a Perl-true limit: the number read as Perl
        /// reads a string (its leading number, `abc` is 0), the range's ends cut to integers, so
        /// `1.5` keeps one article and `-1` none.
        static func perlSliceLength(_ text: String) -> Int? {
            guard !text.isEmpty, text != "0" else { return nil }
            let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            var prefix = ""
            for character in trimmed {
                let candidate = prefix + String(character)
                if Double(candidate) != nil || candidate == "-" || candidate == "+" || candidate == "." || candidate == "-." {
                    prefix = candidate
                } else {
                    break
                }
            }
            let value = min(max(Double(prefix) ?? 0, -1), 1_000_000)
            return max(0, Int((value - 1).rounded(.towardZero)) + 1)
        }

        public init(_ data: [String: JSONValue]) {
            dynamicFields = data.isTrue("DynamicFields")
            extended = data.isTrue("Extended")
            allArticles = data.isTrue("AllArticles")
            // A list's empty entry asks `ArticleList` for no sender type: every article (again).
            senderTypes =
                data["ArticleSenderType"].map { value in
                    value.arrayValue?.compactMap(\.scalarString) ?? value.scalarString.map { [$0] }?.filter { !$0.isEmpty } ?? []
                } ?? []
            // Znuny compares with `eq 'DESC'`: `desc` is the default order.
            articleOrderDescending = data.string("ArticleOrder") == "DESC"
            articleLimit = Self.perlSliceLength(data.string("ArticleLimit") ?? "")
            attachments = data.isTrue("Attachments")
            // GetAttachmentContents defaults to 1; only an explicit false value turns it off.
            attachmentContents = data["GetAttachmentContents"].map { $0.isPerlTrue || $0 == .null } ?? true
            htmlBodyAsAttachment = data.isTrue("HTMLBodyAsAttachment")
        }
    }

    public let catalog: Catalog
    let principal: Principal
    let options: Options
    let now: Int64

    public init(catalog: Catalog, principal: Principal, options: Options, now: Int64) {
        self.catalog = catalog
        self.principal = principal
        self.options = options
        self.now = now
    }

    /// What the core should read for these options. `Extended` needs the articles (for the first
    /// response) and the events (first lock, close time) even when no article is shown.
    public var readOptions: TicketReadOptions {
        TicketReadOptions(
            articles: options.allArticles || options.extended, attachments: options.attachments && options.allArticles,
            attachmentContents: options.attachmentContents, dynamicFields: options.dynamicFields, events: options.extended)
    }

    private func time(_ seconds: Int64) -> JSONValue { .string(timestamp(seconds)) }
    private func timestamp(_ seconds: Int64) -> String { CivilDate(unixSeconds: seconds).timestampString }

    /// A ticket as TicketGet shows it. The keys every ticket has are listed in key order and
    /// the optional ones (service, escalation, `Extended`, dynamic fields, articles) merged into
    /// their places, so that nothing is sorted when the ticket is written (sorting a dictionary
    /// of ~45 keys per ticket was a tenth of a 25-ticket TicketGet).
    public func ticket(_ details: TicketDetails) -> JSONValue {
        let t = details.ticket
        let queue = catalog.queues[t.queueID]
        let state = catalog.states[t.stateID]
        var optional: [String: JSONValue] = [:]
        // Znuny leaves Service and SLA out entirely when the ticket has none.
        if let id = t.serviceID, let service = catalog.services[id] { optional["Service"] = .string(service.name) }
        if let id = t.slaID, let sla = catalog.slas[id] { optional["SLA"] = .string(sla.name) }
        addEscalation(t, to: &optional)
        if options.extended { addExtended(details, to: &optional) }
        if options.dynamicFields {
            let fields = catalog.dynamicFields.all.filter { $0.object == .ticket && $0.validity == .valid }.sorted { $0.name < $1.name }
            // `if (@DynamicFields)`: no valid ticket field, no key.
            if !fields.isEmpty {
                optional["DynamicField"] = .array(
                    fields.map { field in
                        .object(["Name": .string(field.name), "Value": Self.value(details.dynamicFields[field.id], field: field)])
                    })
            }
        }
        if options.allArticles {
            var articles = details.articles
            if !options.senderTypes.isEmpty {
                // Znuny lists articles per requested sender type, in the order the types were given.
                articles = options.senderTypes.flatMap { type in
                    type.isEmpty ? details.articles : details.articles.filter { catalog.senderTypes[$0.senderTypeID]?.name == type }
                }
            }
            // ArticleOrder and ArticleLimit act only together (a Znuny quirk).
            if let limit = options.articleLimit {
                if options.articleOrderDescending { articles.reverse() }
                articles = Array(articles.prefix(limit))
            }
            if !articles.isEmpty { optional["Article"] = .source(ZnunyArticleList(renderer: self, details: details, articles: articles)) }
        }
        let always: [JSONMember] = [
            JSONMember("Age", .int64(max(0, now - t.createdAt))),
            JSONMember("ArchiveFlag", .string(t.archived ? "y" : "n")),
            JSONMember("ChangeBy", .int(t.changedBy)),
            JSONMember("Changed", time(t.changedAt)),
            JSONMember("CreateBy", .int(t.createdBy)),
            JSONMember("Created", time(t.createdAt)),
            JSONMember("CustomerID", t.customerID.map(JSONValue.string) ?? .null),
            JSONMember("CustomerUserID", t.customerUserID.map(JSONValue.string) ?? .null),
            JSONMember("EscalationResponseTime", .int64(t.escalationResponseTime)),
            JSONMember("EscalationSolutionTime", .int64(t.escalationSolutionTime)),
            // The nearest escalation, when there is one, replaces it (`addEscalation`).
            JSONMember("EscalationTime", .int64(t.escalationTime)),
            JSONMember("EscalationUpdateTime", .int64(t.escalationUpdateTime)),
            JSONMember("GroupID", .int(queue?.groupID ?? 0)),
            JSONMember("Lock", .string(catalog.locks[t.lockID]?.name ?? "")),
            JSONMember("LockID", .int(t.lockID)),
            JSONMember("Owner", .string(details.agents[t.ownerID]?.login ?? "")),
            JSONMember("OwnerID", .int(t.ownerID)),
            JSONMember("Priority", .string(catalog.priorities[t.priorityID]?.name ?? "")),
            JSONMember("PriorityID", .int(t.priorityID)),
            JSONMember("Queue", .string(queue?.name ?? "")),
            JSONMember("QueueID", .int(t.queueID)),
            JSONMember("RealTillTimeNotUsed", .int64(t.pendingUntil)),
            JSONMember("Responsible", .string(details.agents[t.responsibleID]?.login ?? "")),
            JSONMember("ResponsibleID", .int(t.responsibleID)),
            JSONMember("SLAID", t.slaID.map { .int($0) } ?? .string("")),
            JSONMember("ServiceID", t.serviceID.map { .int($0) } ?? .string("")),
            JSONMember("State", .string(state?.name ?? "")),
            JSONMember("StateID", .int(t.stateID)),
            JSONMember("StateType", .string(catalog.stateTypeName(ofState: t.stateID))),
            JSONMember("TicketID", .int(t.id)),
            JSONMember("TicketNumber", .string(t.number)),
            JSONMember("TimeUnit", .number(PlainNumber.text(details.totalTimeUnits))),
            JSONMember("Title", .string(t.title)),
            JSONMember("Type", catalog.ticketTypes[t.typeID ?? 1].map { .string($0.name) } ?? .null),
            JSONMember("TypeID", .int(t.typeID ?? 1)),
            JSONMember("UnlockTimeout", .int64(t.unlockTimeout)),
            // Negative once the pending time has passed, as in Znuny's `TicketGet`.
            JSONMember("UntilTime", .int64(t.pendingUntil > 0 ? t.pendingUntil - now : 0)),
        ]
        return .orderedObject(Self.merging(optional, into: always))
    }

    /// `sorted` (members in key order) with `others` put in their places: the members of a
    /// `.object` in the order the writer would sort them. A key in both takes the value from
    /// `others`, as a dictionary assignment would, so no key is ever written twice.
    static func merging(_ others: [String: JSONValue], into sorted: [JSONMember]) -> [JSONMember] {
        guard !others.isEmpty else { return sorted }
        let extra = others.sorted { $0.key < $1.key }
        var result: [JSONMember] = []
        result.reserveCapacity(sorted.count + extra.count)
        var next = extra.startIndex
        for member in sorted {
            while next < extra.endIndex, extra[next].key < member.key {
                result.append(JSONMember(extra[next].key, extra[next].value))
                next += 1
            }
            if next < extra.endIndex, extra[next].key == member.key {
                result.append(JSONMember(extra[next].key, extra[next].value))
                next += 1
            } else {
                result.append(member)
            }
        }
        result += extra[next...].map { JSONMember($0.key, $0.value) }
        assert(zip(result, result.dropFirst()).allSatisfy { $0.key < $1.key }, "ticket keys out of order or repeated")
        return result
    }

    /// An HTML article's content type as Znuny stores it: the first `html` replaced by `plain`.
    static func plainContentType(_ contentType: String) -> String {
        guard let range = contentType.byteRange(of: "html", ignoringASCIICase: true) else { return contentType }
        return contentType.replacingCharacters(in: range, with: "plain")
    }

    /// Multiselect values as arrays, Checkbox values as numbers (Znuny keeps them in an integer
    /// column), everything else as strings; unset fields as null.
    static func value(_ values: [String]?, field: DynamicField) -> JSONValue {
        guard let values, !values.isEmpty else { return .null }
        if field.isMultiValue { return .array(values.map(JSONValue.string)) }
        if field.type == .checkbox { return .number(values[0]) }
        return .string(values[0])
    }

    /// An article as TicketGet shows it (a tree; TicketGet itself writes its articles through
    /// `ZnunyArticleList`).
    public func article(_ a: Article, details: TicketDetails) -> JSONValue {
        var members = JSONMemberList(capacity: 30)
        article(a, details: details, into: &members)
        return members.value
    }

    /// The article's members in key order (Znuny's `SortKeys`; optional ones in their place).
    func article<Sink: JSONObjectSink>(_ a: Article, details: TicketDetails, into o: inout Sink) {
        // Znuny stores an HTML article as its text rendering (MIMEBase ArticleCreate) and keeps
        // the HTML as the attachment `file-2`; line breaks in the header fields are removed (stored
        // so by other faces, they read as Znuny's ArticleCreate would have stored them).
        let isHTML = a.mimeType == "text/html"
        func header(_ key: StaticString, _ text: String) {
            guard text.utf8.contains(where: { $0 == 10 || $0 == 13 }) else { return o.add(key, string: text) }
            o.add(key, string: HeaderLine.of(text))
        }
        o.add("ArticleID", int: a.id)
        o.add("ArticleNumber", int: details.articleNumbers[a.id] ?? 0)
        if options.attachments {
            let files = attachments(of: a, details: details)
            if !files.isEmpty { o.add("Attachment", .array(files)) }
        }
        header("Bcc", a.bcc)
        o.add("Body", string: isHTML ? ZnunyHTMLToAscii.convert(a.body) : a.body)
        header("Cc", a.cc)
        o.add("ChangeBy", int: a.changedBy)
        o.add("ChangeTime", string: timestamp(a.changedAt))
        o.add("Charset", string: a.charset)
        o.add("CommunicationChannelID", int: a.channelID)
        o.add("ContentCharset", string: a.charset)
        o.add("ContentType", string: isHTML ? Self.plainContentType(a.contentType) : a.contentType)
        o.add("CreateBy", int: a.createdBy)
        o.add("CreateTime", string: timestamp(a.createdAt))
        if options.dynamicFields {
            let fields = catalog.dynamicFields.all.filter { $0.object == .article && $0.validity == .valid }.sorted { $0.name < $1.name }
            if !fields.isEmpty {
                let values = details.articleDynamicFields[a.id]
                let list = fields.map { field in
                    JSONValue.sorted([
                        JSONMember("Name", .string(field.name)), JSONMember("Value", Self.value(values?[field.id], field: field)),
                    ])
                }
                o.add("DynamicField", .array(list))
            }
        }
        header("From", a.from)
        header("InReplyTo", a.inReplyTo)
        o.add("IncomingTime", int64: a.incomingTime)
        o.add("IsVisibleForCustomer", int: a.isVisibleForCustomer ? 1 : 0)
        header("MessageID", a.messageID)
        o.add("MimeType", string: isHTML ? "text/plain" : a.mimeType)
        header("References", a.references)
        header("ReplyTo", a.replyTo)
        o.add("SenderType", string: catalog.senderTypes[a.senderTypeID]?.name ?? "")
        o.add("SenderTypeID", string: String(a.senderTypeID))
        header("Subject", a.subject)
        o.add("TicketID", int: a.ticketID)
        o.add("TimeUnit", number: PlainNumber.text(details.articleTimeUnits[a.id] ?? 0))
        header("To", a.to)
    }

    /// Attachments as Znuny's DB storage lists them: FileIDs 1…n over the article's files sorted by
    /// filename (an HTML body is the file `file-2`), excluding the HTML body unless asked for.
    func attachments(of a: Article, details: TicketDetails) -> [JSONValue] {
        struct File {
            var name: String
            var contentType: String
            var content: [UInt8]
            var size: Int
            var contentID: String
            var disposition: String
            var isBody: Bool
        }
        var files = (details.attachments[a.id] ?? []).map {
            File(
                name: $0.filename, contentType: $0.contentType, content: $0.content, size: $0.size, contentID: $0.contentID,
                disposition: $0.disposition.isEmpty ? "attachment" : $0.disposition, isBody: false)
        }
        if a.mimeType == "text/html" {
            let html = Array(a.body.utf8)
            files.append(
                File(
                    name: "file-2", contentType: "text/html; charset=\"\(a.charset)\"", content: html, size: html.count,
                    contentID: "", disposition: "inline", isBody: true))
        }
        let ordered = files.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
        var result: [JSONValue] = []
        for (index, file) in ordered.enumerated() {
            if file.isBody && !options.htmlBodyAsAttachment { continue }
            result.append(
                .object([
                    "FileID": .string(String(index + 1)),
                    "Filename": .string(file.name),
                    "ContentType": .string(file.contentType),
                    "Content": .string(options.attachmentContents ? Base64.encode(file.content) : ""),
                    "ContentAlternative": .string(""),
                    "ContentID": .string(file.contentID),
                    "Disposition": .string(file.disposition),
                    "FilesizeRaw": file.size == 0 ? .int(0) : .string(String(file.size)),
                ]))
        }
        // Znuny sorts FileIDs as strings: "1", "10", "2".
        return result.sorted { ($0["FileID"]?.scalarString ?? "") < ($1["FileID"]?.scalarString ?? "") }
    }

    /// The escalation keys Znuny adds to open tickets with escalation deadlines
    /// (`TicketEscalationDateCalculation`), from the core's `EscalationDeadline`: none when the
    /// ticket's queue or SLA has no escalation minutes; per deadline the seconds left, the
    /// working seconds left (`-N` once passed, which also sets `…TimeEscalation`) and
    /// `…TimeNotification` when it is near; the nearest deadline repeated as `Escalation…`.
    func addEscalation(_ t: Ticket, to object: inout [String: JSONValue]) {
        let deadlines = EscalationDeadline.shown(
            t.escalationTimes, stateID: t.stateID, queueID: t.queueID, slaID: t.slaID, catalog: catalog, now: now)
        for deadline in deadlines {
            let prefix = Self.escalationPrefix(deadline.kind)
            object["\(prefix)Time"] = .int64(deadline.remaining)
            object["\(prefix)TimeDestinationTime"] = .int64(deadline.destination)
            object["\(prefix)TimeDestinationDate"] = time(deadline.destination)
            object["\(prefix)TimeWorkingTime"] = Self.workingTime(deadline.working)
            if deadline.isReached { object["\(prefix)TimeEscalation"] = .int(1) }
            if deadline.isNear { object["\(prefix)TimeNotification"] = .int(1) }
        }
        guard let nearest = deadlines.min(by: { $0.destination < $1.destination }) else { return }
        object["EscalationTime"] = .int64(nearest.remaining)
        object["EscalationDestinationTime"] = .int64(nearest.destination)
        object["EscalationDestinationDate"] = time(nearest.destination)
        object["EscalationTimeWorkingTime"] = Self.workingTime(nearest.working)
        object["EscalationDestinationIn"] = .string(Self.duration(abs(nearest.working)))
    }

    /// TicketGet's key prefix of a deadline (`FirstResponse`, `Update`, `Solution`; the SOAP
    /// schema lists its keys by these too).
    public static func escalationPrefix(_ kind: EscalationKind) -> String {
        switch kind {
        case .firstResponse: "FirstResponse"
        case .update: "Update"
        case .solution: "Solution"
        }
    }

    /// Znuny writes working time past a deadline as the text `-N`, a number otherwise.
    static func workingTime(_ seconds: Int64) -> JSONValue {
        seconds < 0 ? .string("-\(-seconds)") : .int64(seconds)
    }

    /// `1h 4m`, `12m`, `51h 0m`: hours and minutes, never days (`TicketEscalationDateCalculation`).
    static func duration(_ seconds: Int64) -> String {
        let hours = seconds / 3600
        let minutes = seconds % 3600 / 60
        return hours > 0 ? "\(hours)h \(minutes)m" : "\(minutes)m"
    }

    /// `Extended=1` (`Ticket.pm` `_TicketGetExtended`): the first response (the earliest agent
    /// article visible to the customer, on any channel), the first lock and the close time, each
    /// only when it happened. The minutes count working time (the queue's or SLA's `WorkingCalendar`) and the
    /// `…InMin`/`…DiffInMin` keys follow the ticket's `EscalationMinutes`.
    func addExtended(_ details: TicketDetails, to object: inout [String: JSONValue]) {
        let t = details.ticket
        let minutes = EscalationMinutes(queueID: t.queueID, slaID: t.slaID, catalog: catalog)
        let firstResponseMinutes = minutes.firstResponse
        let solutionMinutes = minutes.solution
        let calendar = catalog.workingCalendar(named: minutes.calendar)
        let agentSender = catalog.senderTypes["agent"]?.id
        if let first = details.articles.first(where: { $0.senderTypeID == agentSender && $0.isVisibleForCustomer }) {
            object["FirstResponse"] = time(first.createdAt)
            if firstResponseMinutes > 0 {
                let worked = calendar.seconds(from: t.createdAt, to: first.createdAt)
                object["FirstResponseInMin"] = .int64(worked / 60)
                object["FirstResponseDiffInMin"] = .int64((Int64(firstResponseMinutes) * 60 - worked) / 60)
            }
        }
        let history = details.events.map { (event: $0, row: ZnunyHistory.row(for: $0, catalog: catalog)) }
        if let lock = history.first(where: { $0.row.type == "Lock" }) { object["FirstLock"] = time(lock.event.createdAt) }
        let closedStates = Set(catalog.states.all.filter { catalog.stateTypeName(ofState: $0.id) == "closed" }.map(\.id))
        let closings = history.filter {
            ["StateUpdate", "NewTicket"].contains($0.row.type) && closedStates.contains($0.event.snapshot.stateID)
        }
        if let closed = closings.map(\.event.createdAt).max() {
            object["Closed"] = time(closed)
            let worked = calendar.seconds(from: t.createdAt, to: closed)
            object["SolutionInMin"] = .int64(worked / 60)
            if solutionMinutes > 0 { object["SolutionDiffInMin"] = .int64((Int64(solutionMinutes) * 60 - worked) / 60) }
        }
    }
}

/// A ticket's articles as TicketGet lists them, written straight to JSON text: most of a
/// TicketGet's bytes, and building their tree first cost a tenth of its time (many articles).
struct ZnunyArticleList: JSONSource {
    let renderer: ZnunyTicketRenderer
    let details: TicketDetails
    let articles: [Article]

    func write(style: JSONWriter.Style, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (offset, article) in articles.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            JSONObjectWriter.object(style: style, into: &out) { renderer.article(article, details: details, into: &$0) }
        }
        out.append(UInt8(ascii: "]"))
    }

    var tree: JSONValue { .array(articles.map { renderer.article($0, details: details) }) }
}
