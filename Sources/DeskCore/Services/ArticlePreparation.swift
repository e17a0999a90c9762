/// An article validated and filled with defaults, ready to insert, with what goes with it.
struct PreparedArticle: Sendable {
    var row: NewArticle
    var attachments: [AttachmentDraft]
    var dynamicFields: [(field: DynamicField, values: [String])]
    var timeUnit: Double?
    var label: String?
    var note: String?
    var faceID: FaceIDAllocation? = nil
    var faceAttributes: FaceAttributes? = nil
    /// Queue the article in the outbox (see `ArticleDraft.sending`).
    var send = false
    /// Who hears about the article (see `NotificationPlanner`).
    var notifications = ArticleNotifications()
    /// How its mail is signed or encrypted, the keys checked.
    var security: MailSecurity? = nil
    /// The auto response type the article asks for (Znuny's `AutoResponseType`).
    var autoResponseTypeID: Int? = nil
    /// See `ArticleDraft.storedAsSent`.
    var storedAsSent = false
}

/// Turns drafts into articles: resolves sender type, channel and auto response type, derives
/// From/To, parses the content type, checks the agents named for notifications. Used by create
/// and update alike. Attachments are checked in a second pass (`prepareAttachments`), after the
/// request's ticket-level dynamic fields, as Znuny orders it; an update checks each article's own
/// dynamic fields (`prepareFields`) right after the article, a create in the second pass.
struct ArticlePreparer {
    let resolver: Resolver
    let principal: Principal
    let now: Int64
    let actingUserID: Int

    /// Upper bounds that keep one request from writing unbounded data.
    static let maxAttachmentsPerArticle = 100

    /// What the address defaults refer to: the ticket's queue and customer user login.
    struct AddressContext {
        var queue: Queue?
        var customerLogin: String?
        /// The core's standard `From` and `To`.
        var from: String
        var to: String
    }

    func prepare(_ draft: ArticleDraft, index: Int, ticketID: Int, addresses: AddressContext) async throws -> PreparedArticle {
        let field = { (name: ArticleField) in Field.article(index, name) }
        if let ref = draft.autoResponseType, resolver.catalog.autoResponseTypes[ref] == nil {
            throw DeskError.invalid(field(.autoResponseType), .unknown)
        }
        let channel = try resolver.channel(draft.channel, article: index)
        let sender = try resolver.senderType(draft.senderType, principal: principal, article: index)
        if let from = draft.from, !from.isEmpty, !MailAddress.isValid(from), channel.name == "Email" {
            throw DeskError.invalid(field(.from), .malformed(expected: "an e-mail address"))
        }
        let (mimeType, charset, contentType) = try Self.contentType(of: draft, index: index)
        if let unit = draft.timeUnit, !unit.isFinite || unit < 0 || unit > ArticleDraft.maxTimeUnit {
            throw DeskError.invalid(field(.timeUnit), .outOfRange("a number from 0 to \(Int(ArticleDraft.maxTimeUnit))"))
        }
        try await checkNotifications(draft.notifications, index: index)
        let written = min(draft.createdAt ?? .max, now)
        var row = Article(
            id: 0, ticketID: ticketID, senderTypeID: sender.id, channelID: channel.id,
            isVisibleForCustomer: draft.isVisibleForCustomer ?? true,
            // Mail goes out from the queue's system address unless the caller says otherwise.
            from: try await address(
                draft.from, draft.sending != .no && draft.fromDefault == .standard ? .queueSystemAddress : draft.fromDefault,
                standard: addresses.from, addresses),
            // The standard `To` (the queue's name) is no recipient: a message to send has none by default.
            to: try await address(
                draft.to, draft.sending != .no && draft.toDefault == .standard ? .text("") : draft.toDefault, standard: addresses.to,
                addresses),
            cc: draft.cc, bcc: draft.bcc, replyTo: draft.replyTo, subject: draft.subject, body: draft.body,
            contentType: contentType, charset: charset, mimeType: mimeType, messageID: draft.messageID,
            inReplyTo: draft.inReplyTo, references: draft.references, incomingTime: written,
            createdAt: written, createdBy: actingUserID, changedAt: written, changedBy: actingUserID
        )
        var send = false
        switch draft.sending {
        case .no: break
        case .required:
            try Self.checkSendable(row, index: index)
            send = true
        case .whenAddressed:
            send = (try? Self.checkSendable(row, index: index)) != nil
        }
        if send && row.messageID.isEmpty { row.messageID = MessageID.make(at: now, fqdn: resolver.catalog.settings["FQDN"]) }
        var security: MailSecurity?
        if send, let requested = draft.security, !requested.isEmpty {
            security = try await checkKeys(requested, index: index)
        }
        return PreparedArticle(
            row: row, attachments: draft.attachments, dynamicFields: [], timeUnit: draft.timeUnit, label: draft.label, note: draft.note,
            faceID: draft.faceID, faceAttributes: draft.faceAttributes, send: send, notifications: draft.notifications, security: security,
            autoResponseTypeID: draft.autoResponseType.flatMap { resolver.catalog.autoResponseTypes[$0]?.id },
            storedAsSent: draft.storedAsSent)
    }

    /// The keys `Sign` and `Crypt` name must be imported and unexpired; signing needs the
    /// secret part. Returns the choice with the keys' rows filled in.
    func checkKeys(_ requested: MailSecurity, index: Int) async throws -> MailSecurity {
        let keys = try await resolver.reader.cryptoKeys(kind: nil)
        var checked = requested
        for (field, operation) in [(ArticleField.sign, requested.sign), (.crypt, requested.crypt)] {
            guard let operation else { continue }
            let candidates = keys.filter { $0.kind == operation.kind && $0.matches(operation.key) }
            let usable = candidates.filter { field == .crypt || !$0.privateData.isEmpty }
            guard let key = usable.first(where: { !$0.isExpired(at: now) }) else {
                if usable.contains(where: { $0.isExpired(at: now) }) {
                    throw DeskError.invalid(.article(index, field), .outOfRange("a key that has not expired"))
                }
                throw DeskError.invalid(.article(index, field), .unknownValue(operation.key))
            }
            var resolved = operation
            resolved.keyRowID = key.id
            if field == .sign { checked.sign = resolved } else { checked.crypt = resolved }
        }
        return checked
    }

    /// An article to be sent needs at least one recipient, valid addresses, and header values
    /// on one line each (a line break would add headers: header injection).
    static func checkSendable(_ article: Article, index: Int) throws(DeskError) {
        let headers: [(ArticleField, String)] = [
            (.from, article.from), (.to, article.to), (.cc, article.cc), (.bcc, article.bcc), (.subject, article.subject),
            (.replyTo, article.replyTo), (.messageID, article.messageID), (.inReplyTo, article.inReplyTo),
            (.references, article.references),
        ]
        for (field, value) in headers where value.contains(where: \.isNewline) {
            throw .invalid(.article(index, field), .malformed(expected: "a single line"))
        }
        let lists: [(ArticleField, String)] = [(.to, article.to), (.cc, article.cc), (.bcc, article.bcc)]
        for (field, value) in lists {
            for entry in MailAddress.list(value) where !MailAddress.isValid(entry) {
                throw .invalid(.article(index, field), .malformed(expected: "e-mail addresses"))
            }
        }
        guard lists.contains(where: { !MailAddress.list($0.1).isEmpty }) else { throw .invalid(.article(index, .to), .missing) }
    }

    /// The given address, else the one its default names.
    private func address(_ given: String?, _ fallback: AddressDefault, standard: String, _ context: AddressContext) async throws -> String {
        if let given, !given.isEmpty { return given }
        switch fallback {
        case .standard: return standard
        case .text(let text): return text
        case .customerUser(let login): return try await resolver.reader.customerUser(login: login)?.mailbox ?? login
        case .ticketCustomerLogin: return context.customerLogin ?? ""
        case .ticketCustomer:
            guard let login = context.customerLogin, !login.isEmpty else { return "" }
            return try await address(nil, .customerUser(login), standard: standard, context)
        case .queueSystemAddress:
            guard let queue = context.queue, let address = resolver.catalog.systemAddresses[queue.systemAddressID] else { return "" }
            return "\(address.realName) <\(address.address)>"
        }
    }

    /// The article's own dynamic fields (article fields only).
    func prepareFields(_ draft: ArticleDraft, index: Int, into article: inout PreparedArticle) throws(DeskError) {
        for entry in try resolver.dynamicFields(draft.dynamicFields, field: { .article(index, .dynamicField($0, name: $1)) }) {
            guard entry.field.object == .article else {
                let position = draft.dynamicFields.firstIndex { $0.name == entry.field.name } ?? 0
                throw .invalid(.article(index, .dynamicField(position, name: entry.field.name)), .wrongObject)
            }
            article.dynamicFields.append(entry)
        }
    }

    /// The article's attachments: how many, and each one's name and content type.
    func prepareAttachments(_ draft: ArticleDraft, index: Int) throws(DeskError) {
        guard draft.attachments.count <= Self.maxAttachmentsPerArticle else {
            throw .invalid(
                .article(index, .attachment(Self.maxAttachmentsPerArticle, .content)), .tooMany(max: Self.maxAttachmentsPerArticle))
        }
        for (position, attachment) in draft.attachments.enumerated() {
            guard !attachment.filename.isEmpty else { throw .invalid(.article(index, .attachment(position, .filename)), .missing) }
            guard MediaType.isMimeType(MediaType.mimeType(ofContentType: attachment.contentType)) else {
                throw .invalid(.article(index, .attachment(position, .contentType)), .malformed(expected: "a content type"))
            }
        }
    }

    /// Every agent named in a notification list must be a valid agent.
    private func checkNotifications(_ notifications: ArticleNotifications, index: Int) async throws {
        let named = Set(NotificationList.allCases.flatMap { notifications[$0] })
        guard !named.isEmpty else { return }
        let valid = Set(try await resolver.reader.agents(ids: named.sorted()).filter { $0.validity == .valid }.map(\.id))
        for list in NotificationList.allCases {
            for id in notifications[list] where !valid.contains(id) {
                throw DeskError.invalid(.article(index, .notifyAgents(list)), .unknownValue(String(id)))
            }
        }
    }

    /// (mime type, charset, full content type) from either a content type or mime type + charset.
    /// The charset is kept as the caller wrote it, lower-cased (`utf8` stays `utf8`, as in Znuny).
    static func contentType(of draft: ArticleDraft, index: Int) throws(DeskError) -> (String, String, String) {
        if let full = draft.contentType, !full.isEmpty {
            let lowered = full.lowercased()
            let mime = MediaType.mimeType(ofContentType: lowered)
            guard MediaType.isMimeType(mime) else { throw .invalid(.article(index, .contentType), .malformed(expected: "a content type")) }
            let charset = MediaType.parameter("charset", of: lowered) ?? "utf-8"
            guard MediaType.isCharset(charset) else { throw .invalid(.article(index, .contentType), .unknownValue(charset)) }
            return (mime, charset, lowered)
        }
        let mime = (draft.mimeType ?? "text/plain").lowercased()
        let charset = (draft.charset ?? "utf-8").lowercased()
        guard MediaType.isMimeType(mime) else { throw .invalid(.article(index, .mimeType), .malformed(expected: "a mime type")) }
        guard MediaType.isCharset(charset) else { throw .invalid(.article(index, .charset), .unknownValue(charset)) }
        return (mime, charset, "\(mime); charset=\(charset)")
    }
}

extension String {
    /// The string without one pair of surrounding double quotes.
    public func replacingQuotes() -> String {
        if count >= 2, hasPrefix("\""), hasSuffix("\"") { return String(dropFirst().dropLast()) }
        return self
    }
}
