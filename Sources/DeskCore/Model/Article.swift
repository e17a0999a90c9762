/// An article: one message or note on a ticket.
public struct Article: Sendable, Hashable {
    public var id: Int
    public var ticketID: Int
    public var senderTypeID: Int
    public var channelID: Int
    public var isVisibleForCustomer: Bool
    public var from: String
    public var to: String
    public var cc: String
    public var bcc: String
    public var replyTo: String
    public var subject: String
    public var body: String
    /// Full content type, e.g. `text/plain; charset=utf-8`.
    public var contentType: String
    public var charset: String
    public var mimeType: String
    public var messageID: String
    public var inReplyTo: String
    public var references: String
    public var incomingTime: Int64
    public var createdAt: Int64
    public var createdBy: Int
    public var changedAt: Int64
    public var changedBy: Int

    public init(
        id: Int, ticketID: Int, senderTypeID: Int, channelID: Int, isVisibleForCustomer: Bool,
        from: String, to: String, cc: String, bcc: String, replyTo: String, subject: String, body: String,
        contentType: String, charset: String, mimeType: String, messageID: String, inReplyTo: String,
        references: String, incomingTime: Int64, createdAt: Int64, createdBy: Int, changedAt: Int64,
        changedBy: Int
    ) {
        self.id = id
        self.ticketID = ticketID
        self.senderTypeID = senderTypeID
        self.channelID = channelID
        self.isVisibleForCustomer = isVisibleForCustomer
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.body = body
        self.contentType = contentType
        self.charset = charset
        self.mimeType = mimeType
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.incomingTime = incomingTime
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.changedAt = changedAt
        self.changedBy = changedBy
    }
}

/// A file attached to an article. `content` is empty when the caller asked for metadata only.
public struct Attachment: Sendable, Hashable {
    public var id: Int
    public var articleID: Int
    public var filename: String
    public var contentType: String
    public var contentID: String
    public var disposition: String
    public var size: Int
    public var content: [UInt8]

    public init(
        id: Int, articleID: Int, filename: String, contentType: String, contentID: String,
        disposition: String, size: Int, content: [UInt8]
    ) {
        self.id = id
        self.articleID = articleID
        self.filename = filename
        self.contentType = contentType
        self.contentID = contentID
        self.disposition = disposition
        self.size = size
        self.content = content
    }
}
