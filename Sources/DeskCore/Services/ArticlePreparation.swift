/// An article validated and filled with defaults, ready to insert, with what goes with it.
struct PreparedArticle: Sendable {
    var row: NewArticle
    var attachments: [AttachmentDraft]
    var dynamicFields: [(field: DynamicField, values: [String])]
    var timeUnit: Double?
    var historyTypeID: Int
    var historyName: String
}

/// Turns drafts into articles: resolves sender type and channel, derives From/To, parses the
/// content type. Used by create and update alike.
struct ArticlePreparer {
    let resolver: Resolver
    let principal: Principal
    let now: Int64
    let actingUserID: Int

    /// Upper bounds that keep one request from writing unbounded data.
    static let maxAttachmentsPerArticle = 100

    func prepare(
        _ draft: ArticleDraft, ticketID: Int, defaultFrom: String, defaultTo: String,
        extraDynamicFields: [(field: DynamicField, values: [String])]
    ) throws -> PreparedArticle {
        let sender = try resolver.senderType(draft.senderType, principal: principal)
        let channel = try resolver.channel(draft.channel)
        let (mimeType, charset, contentType) = try Self.contentType(of: draft)
        if let from = draft.from, !from.isEmpty, !MailAddress.isValid(from), channel.name == "Email" {
            throw DeskError.invalid(field: "From", reason: "'\(from)' is not an e-mail address")
        }
        if let unit = draft.timeUnit, !unit.isFinite || unit < 0 || unit > 1_000_000 {
            throw DeskError.invalid(field: "TimeUnit", reason: "must be a number from 0 to 1000000")
        }
        guard draft.attachments.count <= Self.maxAttachmentsPerArticle else {
            throw DeskError.invalid(field: "Attachment", reason: "at most \(Self.maxAttachmentsPerArticle) attachments per article")
        }
        for attachment in draft.attachments {
            guard !attachment.filename.isEmpty else { throw DeskError.invalid(field: "Attachment", reason: "filename is required") }
            guard MediaType.isMimeType(MediaType.mimeType(ofContentType: attachment.contentType)) else {
                throw DeskError.invalid(field: "Attachment", reason: "'\(attachment.contentType)' is not a content type")
            }
        }
        var dynamicFields = extraDynamicFields
        for entry in try resolver.dynamicFields(draft.dynamicFields) {
            guard entry.field.object == .article else {
                throw DeskError.invalid(field: "DynamicField", reason: "\(entry.field.name) is not an article field")
            }
            dynamicFields.append(entry)
        }
        let historyType = try resolver.historyType(draft.historyType ?? "AddNote")
        let row = Article(
            id: 0, ticketID: ticketID, senderTypeID: sender.id, channelID: channel.id,
            isVisibleForCustomer: draft.isVisibleForCustomer ?? true,
            from: draft.from.flatMap { $0.isEmpty ? nil : $0 } ?? defaultFrom,
            to: draft.to.flatMap { $0.isEmpty ? nil : $0 } ?? defaultTo,
            cc: draft.cc, bcc: draft.bcc, replyTo: draft.replyTo, subject: draft.subject, body: draft.body,
            contentType: contentType, charset: charset, mimeType: mimeType, messageID: draft.messageID,
            inReplyTo: draft.inReplyTo, references: draft.references, incomingTime: now,
            createdAt: now, createdBy: actingUserID, changedAt: now, changedBy: actingUserID
        )
        return PreparedArticle(
            row: row, attachments: draft.attachments, dynamicFields: dynamicFields, timeUnit: draft.timeUnit,
            historyTypeID: historyType, historyName: draft.historyComment ?? "%%"
        )
    }

    /// (mime type, charset, full content type) from either a content type or mime type + charset.
    static func contentType(of draft: ArticleDraft) throws(DeskError) -> (String, String, String) {
        if let full = draft.contentType, !full.isEmpty {
            let lowered = full.lowercased()
            let mime = MediaType.mimeType(ofContentType: lowered)
            guard MediaType.isMimeType(mime) else { throw .invalid(field: "ContentType", reason: "'\(full)' is not a content type") }
            let charset = MediaType.parameter("charset", of: lowered) ?? "utf-8"
            guard MediaType.isCharset(charset) else { throw .invalid(field: "ContentType", reason: "unknown charset in '\(full)'") }
            return (mime, charset, lowered)
        }
        let mime = (draft.mimeType ?? "text/plain").lowercased()
        let charset = (draft.charset ?? "utf-8").lowercased()
        guard MediaType.isMimeType(mime) else { throw .invalid(field: "MimeType", reason: "'\(mime)' is not a mime type") }
        guard MediaType.isCharset(charset) else { throw .invalid(field: "Charset", reason: "unknown charset '\(charset)'") }
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
