/// Where an outgoing message stands in the outbox.
///
/// `queued` messages wait for their next attempt; a sender claims one for a while (a lease), so
/// each goes out once even with several server processes; `sent` and `failed` are final.
/// `swiftdesk mail retry ID` puts a failed message back in the queue.
public enum OutboxStatus: String, Sendable, CaseIterable {
    case queued, sent, failed
}

/// One message of the outbox as `swiftdesk mail queue` shows it.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int
    public var articleID: Int
    public var ticketID: Int
    public var status: OutboxStatus
    public var attempts: Int
    /// When the next attempt is due (queued messages).
    public var nextAttemptAt: Int64
    /// The last answer of the mail server (or the transport's error), empty before the first attempt.
    public var lastAnswer: String
    public var createdAt: Int64
    public var sentAt: Int64?

    public init(
        id: Int, articleID: Int, ticketID: Int, status: OutboxStatus, attempts: Int, nextAttemptAt: Int64, lastAnswer: String,
        createdAt: Int64, sentAt: Int64?
    ) {
        self.id = id
        self.articleID = articleID
        self.ticketID = ticketID
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAnswer = lastAnswer
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// A message claimed by a sender: the outbox entry and everything needed to compose it, read
/// after the claim (outside any write transaction).
public struct OutgoingMail: Sendable {
    public var entry: OutboxEntry
    /// The claim this sender holds; finishing a message needs it, so a sender whose lease ran out
    /// cannot overwrite what another sender recorded.
    public var claim: String
    public var article: Article
    public var attachments: [Attachment]
    public var ticketNumber: String
    /// The envelope sender: the article's `From` address, else the queue's system address, else
    /// `NotificationSenderEmail`.
    public var envelopeFrom: String
    /// The `From` header: the article's when it is an address, else the queue's system address
    /// with its name (an agent's name alone cannot be a sender).
    public var headerFrom: String
    /// Every envelope recipient: the article's To, Cc and Bcc addresses, without names.
    public var recipients: [String]
    /// The subject with the ticket number, per `Ticket::Hook` (`[Ticket#2026…] Subject`).
    public var subject: String
    public var settings: Settings

    public init(
        entry: OutboxEntry, claim: String, article: Article, attachments: [Attachment], ticketNumber: String, envelopeFrom: String,
        headerFrom: String, recipients: [String], subject: String, settings: Settings
    ) {
        self.headerFrom = headerFrom
        self.entry = entry
        self.claim = claim
        self.article = article
        self.attachments = attachments
        self.ticketNumber = ticketNumber
        self.envelopeFrom = envelopeFrom
        self.recipients = recipients
        self.subject = subject
        self.settings = settings
    }
}

/// How one delivery attempt ended.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the mail server; its answer (`250 2.0.0 Ok: queued as …`).
    case sent(answer: String)
    /// Refused for good (a 5xx answer): the message is marked failed.
    case permanentFailure(answer: String)
    /// Could not be delivered now (4xx, connection or TLS trouble): tried again later.
    case transientFailure(answer: String)
}
