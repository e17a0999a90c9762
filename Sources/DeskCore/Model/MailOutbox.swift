/// Where an outgoing message stands in the outbox.
///
/// `queued` messages wait for their next attempt; a sender claims one for a while (a lease), so
/// each goes out once even with several server processes; `sent` and `failed` are final.
/// `swiftdesk mail retry ID` puts a failed message back in the queue.
public enum OutboxStatus: String, Sendable, CaseIterable {
    case queued, sent, failed
}

/// An agent notification to queue: rendered from its template when it is sent.
public struct OutboxNotification: Sendable, Equatable {
    public var ticketID: Int
    public var articleID: Int?
    public var notification: AgentNotification
    public var recipientID: Int
    public var actorID: Int

    public init(ticketID: Int, articleID: Int?, notification: AgentNotification, recipientID: Int, actorID: Int) {
        self.ticketID = ticketID
        self.articleID = articleID
        self.notification = notification
        self.recipientID = recipientID
        self.actorID = actorID
    }
}

/// One message of the outbox as `swiftdesk mail queue` shows it.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int
    /// The article sent, or the article a notification is about (0 for none).
    public var articleID: Int
    public var ticketID: Int
    /// The agent notification this message is, nil for an article sent as mail.
    public var notification: AgentNotification?
    /// A notification's recipient and the agent whose action caused it.
    public var recipientID: Int
    public var actorID: Int
    /// How the message is signed or encrypted (articles sent with `Sign`/`Crypt`).
    public var security: MailSecurity?
    public var status: OutboxStatus
    public var attempts: Int
    /// When the next attempt is due (queued messages).
    public var nextAttemptAt: Int64
    /// The last answer of the mail server (or the transport's error), empty before the first attempt.
    public var lastAnswer: String
    public var createdAt: Int64
    public var sentAt: Int64?

    public init(
        id: Int, articleID: Int, ticketID: Int, notification: AgentNotification? = nil, recipientID: Int = 0, actorID: Int = 0,
        security: MailSecurity? = nil, status: OutboxStatus, attempts: Int, nextAttemptAt: Int64, lastAnswer: String, createdAt: Int64,
        sentAt: Int64?
    ) {
        self.security = security
        self.notification = notification
        self.recipientID = recipientID
        self.actorID = actorID
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
    /// What the message carries.
    public enum Content: Sendable {
        /// An article sent as e-mail, with its files.
        case article(Article, attachments: [Attachment])
        /// An agent notification, rendered from its template.
        case notification(NotificationMail)
    }

    public var entry: OutboxEntry
    /// The claim this sender holds; finishing a message needs it, so a sender whose lease ran out
    /// cannot overwrite what another sender recorded.
    public var claim: String
    public var content: Content
    public var ticketNumber: String
    /// The envelope sender: the article's `From` address, else the queue's system address, else
    /// `NotificationSenderEmail` (always that for notifications).
    public var envelopeFrom: String
    /// The `From` header: the article's when it is an address, else the queue's system address
    /// with its name (an agent's name alone cannot be a sender); notifications come from
    /// `NotificationSenderName <NotificationSenderEmail>`.
    public var headerFrom: String
    /// Every envelope recipient: the article's To, Cc and Bcc addresses, without names (the
    /// agent's address for a notification).
    public var recipients: [String]
    /// The subject with the ticket number, per `Ticket::Hook` (`[Ticket#2026…] Subject`); for a
    /// notification the composer builds it from the template.
    public var subject: String
    public var settings: Settings
    /// The keys `entry.security` names, by row id.
    public var keys: [Int: CryptoKey] = [:]

    public init(
        entry: OutboxEntry, claim: String, content: Content, ticketNumber: String, envelopeFrom: String, headerFrom: String,
        recipients: [String], subject: String, settings: Settings
    ) {
        self.entry = entry
        self.claim = claim
        self.content = content
        self.ticketNumber = ticketNumber
        self.envelopeFrom = envelopeFrom
        self.headerFrom = headerFrom
        self.recipients = recipients
        self.subject = subject
        self.settings = settings
    }

    /// The article sent (nil for notifications).
    public var article: Article? {
        if case .article(let article, _) = content { return article }
        return nil
    }
}

/// What a notification template can say: the ticket as it is now and who did what.
public struct NotificationMail: Sendable {
    public var notification: AgentNotification
    public var recipient: Agent
    /// The agent whose action caused the notification.
    public var actor: Agent?
    public var ticket: Ticket
    public var queue: String
    public var state: String
    public var priority: String
    /// The ticket's service ("" for none).
    public var service: String
    public var owner: Agent?
    public var responsible: Agent?
    /// The note or follow-up the notification is about.
    public var article: Article?

    public init(
        notification: AgentNotification, recipient: Agent, actor: Agent?, ticket: Ticket, queue: String, state: String, priority: String,
        service: String = "", owner: Agent?, responsible: Agent?, article: Article?
    ) {
        self.service = service
        self.notification = notification
        self.recipient = recipient
        self.actor = actor
        self.ticket = ticket
        self.queue = queue
        self.state = state
        self.priority = priority
        self.owner = owner
        self.responsible = responsible
        self.article = article
    }
}

/// Message-IDs of outgoing mail.
public enum MessageID {
    /// `<time.random@FQDN>`: unique, on the system's host name, for threading answers that come back.
    public static func make(at time: Int64, fqdn: String) -> String {
        let random = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
        return "<\(time).\(random)@\(fqdn.isEmpty ? "localhost" : fqdn)>"
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
